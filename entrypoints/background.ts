/**
 * The background service worker: wires browser events and messages to sync/ (feeds, label cache,
 * lookups, Mastodon registrations) and curator/ (context menus). Holds no state: MV3 stops it after
 * ~30 s idle, so every listener is registered synchronously here and every start re-checks alarms.
 * Must never do work itself, and never let an exception escape a listener.
 */
import { openCuratorWindow, setupCuratorMenus } from '../curator/menus';
import { serveLookupPort } from '../messaging/port';
import { onMessage } from '../messaging/protocol';
import { mastodonHostsItem } from '../storage/settings';
import { onBrowserStartup, onInstalled, startWorker } from '../sync/lifecycle';
import { syncMastodonRegistrations } from '../sync/mastodon';
import { feedMessages, isFromExtension } from '../sync/messages';
import { onAlarm } from '../sync/service';
import { lensTemplates } from '../ui/i18n';

function report(what: string) {
  return (error: unknown) => console.warn(`Context Lens: ${what} failed`, error);
}

export default defineBackground(() => {
  // Content scripts look up over a port (messaging/port.ts); the message stays for extension pages and tests.
  browser.runtime.onConnect.addListener((port) => serveLookupPort(port, feedMessages.lookup));
  onMessage('lookup', ({ sender, data }) => feedMessages.lookup(sender, data));
  // The lens's words ride with the index: the tab then looks none up itself (components/strings.ts).
  onMessage('pageIndex', async ({ sender, data }) => {
    const wire = await feedMessages.pageIndex(sender, data);
    return wire && { ...wire, strings: lensTemplates() };
  });
  onMessage('pageIndexPart', ({ sender, data }) => feedMessages.pageIndexPart(sender, data));
  onMessage('listFeeds', ({ sender }) => feedMessages.listFeeds(sender));
  onMessage('listDefinitions', ({ sender }) => feedMessages.listDefinitions(sender));
  onMessage('previewFeed', ({ sender, data }) => feedMessages.previewFeed(sender, data));
  onMessage('subscribe', ({ sender, data }) => feedMessages.subscribe(sender, data));
  onMessage('unsubscribe', ({ sender, data }) => feedMessages.unsubscribe(sender, data));
  onMessage('setFeedEnabled', ({ sender, data }) => feedMessages.setFeedEnabled(sender, data));
  onMessage('syncNow', ({ sender, data }) => feedMessages.syncNow(sender, data));
  onMessage('clearCache', ({ sender }) => feedMessages.clearCache(sender));
  onMessage('openCuratorForm', ({ sender, data }) => {
    if (isFromExtension(sender)) openCuratorWindow(data).catch(report('opening the curator form'));
  });

  browser.runtime.onInstalled.addListener(({ reason }) => {
    void onInstalled(reason);
  });
  browser.runtime.onStartup.addListener(() => {
    void onBrowserStartup();
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    onAlarm(alarm.name).catch(report(`the ${alarm.name} alarm`));
  });
  const registerMastodon = () => {
    syncMastodonRegistrations().catch(report('registering Mastodon hosts'));
  };
  mastodonHostsItem.watch(registerMastodon);
  browser.permissions.onAdded.addListener(registerMastodon);
  browser.permissions.onRemoved.addListener(registerMastodon);

  setupCuratorMenus();
  void startWorker();
});
