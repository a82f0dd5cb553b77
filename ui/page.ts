/**
 * What every extension page does before it renders: its title and language from i18n.
 */
import { browser } from 'wxt/browser';
import { type MessageKey, t } from './i18n';

export function preparePage(titleKey: MessageKey): void {
  document.title = t(titleKey);
  document.documentElement.lang = browser.i18n.getUILanguage();
}
