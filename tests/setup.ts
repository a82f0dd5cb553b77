// Every unit test starts from an empty fake browser and an empty fake IndexedDB, and a
// browser.i18n.getMessage that answers from the real messages.json (tests read the English a reader sees).
import 'fake-indexeddb/auto';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { installI18n } from '../ui/test-support';

beforeEach(() => {
  fakeBrowser.reset();
  installI18n();
});
