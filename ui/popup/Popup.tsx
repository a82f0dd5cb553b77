/**
 * The toolbar popup: Context Lens on/off, on/off for the site in the active tab (or "Enable on
 * <host>" for a Mastodon server not yet enabled), what the content script found on this page, one
 * line per feed, and the way to the options page. Settings are storage items, watched by every
 * content script, so each switch reaches open tabs at once. Never touches the page itself except to
 * check, after the reader granted it, that a page is a Mastodon server.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type PageHealth, sendMessage } from '../../messaging/protocol';
import type { SiteId } from '../../sites/types';
import { enabledItem, feedStatusItem, mastodonHostsItem, siteEnabledItem } from '../../storage/settings';
import { feedStateText } from '../feed-status';
import { useStorageItem } from '../hooks';
import { t } from '../i18n';
import { classifyPage, type PageKind, pageLooksLikeMastodon, SITE_IDS, SITE_NAME_MESSAGES } from '../sites';
import { type ActiveTab, findActiveTab } from './active-tab';

const HEALTH_REFRESH_MS = 2000;

/**
 * What the active tab shows. Its address when the browser tells (activeTab, after a click on the
 * toolbar button); else the site its content script reports, which covers every supported site.
 */
export function describePage(
  tab: ActiveTab | null | undefined,
  health: PageHealth | null | undefined,
  mastodonHosts: readonly string[],
): PageKind {
  if (tab?.url) return classifyPage(tab.url, mastodonHosts);
  const site = health?.site;
  return site && (SITE_IDS as string[]).includes(site)
    ? { kind: 'site', site: site as SiteId, host: '' }
    : { kind: 'none' };
}

async function setSiteEnabled(site: SiteId, on: boolean): Promise<void> {
  const current = await siteEnabledItem.getValue();
  const next = { ...current };
  if (on) delete next[site];
  else next[site] = false;
  await siteEnabledItem.setValue(next);
}

function usePageHealth(tabId: number | undefined): PageHealth | null | undefined {
  const [health, setHealth] = useState<PageHealth | null | undefined>(undefined);
  useEffect(() => {
    if (tabId === undefined) return;
    let live = true;
    const ask = () => {
      sendMessage('getPageHealth', undefined, tabId).then(
        (h) => live && setHealth(h),
        () => live && setHealth(null),
      );
    };
    ask();
    const timer = setInterval(ask, HEALTH_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tabId]);
  return health;
}

function PageHealthView({
  health,
  supported,
}: {
  health: PageHealth | null | undefined;
  supported: boolean;
}) {
  if (health === undefined) return <p class="muted">{t('popupCheckingPage')}</p>;
  if (health === null || health.site === null) {
    return <p class="muted">{supported ? t('popupNoContentScript') : t('popupNotRunningHere')}</p>;
  }
  return (
    <>
      <dl class="facts">
        <dt>{t('popupPostsRecognised')}</dt>
        <dd>{health.postsRecognised}</dd>
        <dt>{t('popupLabelsShown')}</dt>
        <dd>{health.labelsShown}</dd>
      </dl>
      {health.layoutMayHaveChanged && <p class="warning">{t('popupLayoutChanged')}</p>}
    </>
  );
}

function EnableMastodon({ tab, host }: { tab: ActiveTab; host: string }) {
  const [outcome, setOutcome] = useState<'idle' | 'working' | 'denied' | 'not-mastodon' | 'failed'>('idle');
  const enable = useCallback(() => {
    const origin = `https://${host}/*`;
    // Asked first, synchronously in the click: the browser only prompts during a user gesture.
    const asked = browser.permissions.request({ origins: [origin] });
    setOutcome('working');
    (async () => {
      if (!(await asked)) return setOutcome('denied');
      const [result] = await browser.scripting.executeScript({
        target: { tabId: tab.id },
        func: pageLooksLikeMastodon,
      });
      if (result?.result !== true) {
        await browser.permissions.remove({ origins: [origin] });
        return setOutcome('not-mastodon');
      }
      const hosts = await mastodonHostsItem.getValue();
      if (!hosts.includes(host)) await mastodonHostsItem.setValue([...hosts, host]);
      setOutcome('idle');
    })().catch(() => setOutcome('failed'));
  }, [host, tab.id]);
  return (
    <div>
      <p class="muted">{t('popupMastodonHint')}</p>
      <button type="button" onClick={enable} disabled={outcome === 'working'}>
        {t('popupEnableOnHost', host)}
      </button>
      <p role="status">
        {outcome === 'denied' && t('popupPermissionDenied', host)}
        {outcome === 'not-mastodon' && t('popupNotMastodon', host)}
        {outcome === 'failed' && t('popupEnableFailed', host)}
      </p>
    </div>
  );
}

export function Popup({ search }: { search: string }) {
  const enabled = useStorageItem(enabledItem);
  const siteEnabled = useStorageItem(siteEnabledItem);
  const mastodonHosts = useStorageItem(mastodonHostsItem);
  const feeds = useStorageItem(feedStatusItem);
  const [tab, setTab] = useState<ActiveTab | null | undefined>(undefined);
  useEffect(() => {
    findActiveTab(search).then(setTab, () => setTab(null));
  }, [search]);
  const health = usePageHealth(tab?.id);
  const page = describePage(tab, health, mastodonHosts ?? []);

  const openOptions = (event: Event) => {
    event.preventDefault();
    void browser.runtime.openOptionsPage();
  };

  return (
    <main class="popup">
      <h1>{t('extName')}</h1>
      <label class="check">
        <input
          type="checkbox"
          checked={enabled ?? true}
          onChange={(e) => void enabledItem.setValue(e.currentTarget.checked)}
        />
        {t('popupEnabledEverywhere')}
      </label>
      {page.kind === 'site' && (
        <label class="check">
          <input
            type="checkbox"
            checked={siteEnabled?.[page.site] !== false}
            disabled={enabled === false}
            onChange={(e) => void setSiteEnabled(page.site, e.currentTarget.checked)}
          />
          {t('popupEnabledOnSite', t(SITE_NAME_MESSAGES[page.site]))}
        </label>
      )}
      {page.kind === 'other-https' && tab && <EnableMastodon tab={tab} host={page.host} />}

      <section aria-labelledby="popup-page">
        <h2 id="popup-page">{t('popupThisPage')}</h2>
        <PageHealthView health={health} supported={page.kind === 'site'} />
      </section>

      <section aria-labelledby="popup-feeds">
        <h2 id="popup-feeds">{t('popupFeeds')}</h2>
        {feeds && feeds.length > 0 ? (
          <ul class="plain">
            {feeds.map((feed) => (
              <li key={feed.id}>
                <strong>
                  <bdi>{feed.name}</bdi>
                </strong>
                : <span>{feedStateText(feed)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{t('popupNoFeeds')}</p>
        )}
      </section>
      <p>
        <a href={browser.runtime.getURL('/options.html')} onClick={openOptions}>
          {t('popupOpenOptions')}
        </a>
      </p>
    </main>
  );
}
