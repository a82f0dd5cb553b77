/**
 * Options page, Feeds: subscribe by URL (permission for the feed's origin, a preview to trust, then
 * the subscription), and every feed with its state and controls. The list follows the background's
 * feedStatus mirror live. Never fetches a feed itself: the background does, after the reader's yes.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { isolated, tNodes } from '../../components/strings';
import type { FeedPreview, FeedStatus, Reply } from '../../messaging/protocol';
import { sendMessage } from '../../messaging/protocol';
import { feedStatusItem } from '../../storage/settings';
import { feedStateText, formatWhen } from '../feed-status';
import { useStorageItem } from '../hooks';
import { type MessageKey, t } from '../i18n';

/** The permission pattern for a feed URL, or null when the URL cannot be a feed's. */
export function feedOriginPattern(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return null;
  // Without the port: match patterns cover every port of a host.
  return `${url.protocol}//${url.hostname}/*`;
}

/** A key fingerprint in groups of four, easier to compare by eye. */
export function groupFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}

function errorOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function ask<T>(reply: Promise<Reply<T>>): Promise<Reply<T>> {
  try {
    return await reply;
  } catch (error) {
    return { ok: false, error: t('errorBackground', errorOf(error)) };
  }
}

/** What the preview says about the address (docs/feed-format.md, "The feed's address"). */
const ADDRESS_NOTE: Record<FeedPreview['address'], MessageKey> = {
  publisher: 'feedAddressPublisher',
  mirror: 'feedAddressMirror',
  local: 'feedAddressLocal',
};

type SubscribeStep =
  | { step: 'idle' }
  | { step: 'busy' }
  | { step: 'confirm'; preview: FeedPreview }
  | { step: 'done'; name: string }
  | { step: 'error'; message: string };

function SubscribeForm() {
  const [url, setUrl] = useState('');
  const [state, setState] = useState<SubscribeStep>({ step: 'idle' });
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    const feedUrl = url.trim();
    const pattern = feedOriginPattern(feedUrl);
    if (!pattern) {
      setState({ step: 'error', message: t('errorFeedUrl') });
      return;
    }
    // Asked first, synchronously in the submit: the browser only prompts during a user gesture.
    const granted = browser.permissions.request({ origins: [pattern] });
    setState({ step: 'busy' });
    (async () => {
      if (!(await granted)) {
        setState({ step: 'error', message: t('errorFeedPermission', new URL(feedUrl).host) });
        return;
      }
      const reply = await ask(sendMessage('previewFeed', feedUrl));
      if (!reply.ok) {
        setState({ step: 'error', message: reply.error });
        return;
      }
      setState({ step: 'confirm', preview: reply.value });
      queueMicrotask(() => confirmHeading.current?.focus());
    })().catch((error: unknown) => setState({ step: 'error', message: errorOf(error) }));
  };

  const trust = async (preview: FeedPreview) => {
    setState({ step: 'busy' });
    const reply = await ask(
      sendMessage('subscribe', { url: preview.url, keyFingerprint: preview.keyFingerprint }),
    );
    if (!reply.ok) {
      setState({ step: 'error', message: reply.error });
      return;
    }
    setUrl('');
    setState({ step: 'done', name: reply.value.name });
  };

  return (
    <div>
      <form onSubmit={onSubmit} class="row" aria-labelledby="subscribe-heading">
        <h3 id="subscribe-heading" class="visually-hidden">
          {t('subscribeHeading')}
        </h3>
        <div class="field" style={{ flex: '1 1 20rem' }}>
          <label for="feed-url">{t('feedUrlLabel')}</label>
          <input
            id="feed-url"
            type="url"
            value={url}
            placeholder="https://"
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary" disabled={state.step === 'busy'}>
          {t('subscribeButton')}
        </button>
      </form>
      {state.step === 'confirm' && (
        <section class="panel" aria-labelledby="confirm-heading">
          <h3 id="confirm-heading" tabIndex={-1} ref={confirmHeading}>
            {tNodes('confirmSubscribeHeading', isolated([state.preview.name]))}
          </h3>
          <p>{state.preview.description}</p>
          <dl class="facts">
            <dt>{t('feedAddress')}</dt>
            <dd class="mono">{state.preview.url}</dd>
            {state.preview.address !== 'publisher' && (
              <>
                <dt>{t('feedPublishedAt')}</dt>
                <dd class="mono">{state.preview.id}</dd>
              </>
            )}
            <dt>{t('feedName')}</dt>
            <dd>
              <bdi>{state.preview.name}</bdi>
            </dd>
            <dt>{t('feedPublisher')}</dt>
            <dd>
              <bdi>{state.preview.publisher}</bdi>
            </dd>
            <dt>{t('feedLabelCount')}</dt>
            <dd>{state.preview.labelCount}</dd>
            <dt>{t('feedKeyFingerprint')}</dt>
            <dd class="mono">{groupFingerprint(state.preview.keyFingerprint)}</dd>
            <dt>{t('feedExpires')}</dt>
            <dd>{formatWhen(state.preview.expires)}</dd>
          </dl>
          <p class="muted" data-address={state.preview.address}>
            {t(ADDRESS_NOTE[state.preview.address])}
          </p>
          <p class="muted">{t('confirmSubscribeHint')}</p>
          <div class="row">
            <button type="button" class="primary" onClick={() => void trust(state.preview)}>
              {t('trustAndSubscribe')}
            </button>
            <button type="button" onClick={() => setState({ step: 'idle' })}>
              {t('cancel')}
            </button>
          </div>
        </section>
      )}
      <p role="status">
        {state.step === 'busy' && t('working')}
        {state.step === 'done' && t('subscribed', state.name)}
      </p>
      {state.step === 'error' && (
        <p role="alert" class="error">
          {state.message}
        </p>
      )}
    </div>
  );
}

function FeedItem({ feed }: { feed: FeedStatus }) {
  const [confirming, setConfirming] = useState(false);
  const unsubscribeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // Focus follows the question: onto "Yes, unsubscribe" when it is asked, back to "Unsubscribe"
  // when it is cancelled, before the question is painted. Not `autoFocus`: a browser honours that
  // once per document at most, and only at its next rendering update.
  useLayoutEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (asked.current) unsubscribeButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const [error, setError] = useState<string | null>(null);
  const headingId = `feed-${feed.id.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const run = async (reply: Promise<Reply<null>>) => {
    setError(null);
    const result = await ask(reply);
    if (!result.ok) setError(result.error);
  };
  const percent =
    feed.state === 'syncing' && feed.progress && feed.progress.total > 0
      ? Math.floor((feed.progress.done / feed.progress.total) * 100)
      : null;
  return (
    <li>
      <section aria-labelledby={headingId}>
        <h3 id={headingId}>
          <bdi>{feed.name}</bdi>
        </h3>
        <dl class="facts">
          <dt>{t('feedPublisher')}</dt>
          <dd>
            <bdi>{feed.publisher}</bdi>
          </dd>
          <dt>{t('feedState')}</dt>
          <dd>{feedStateText(feed)}</dd>
          <dt>{t('feedLastUpdate')}</dt>
          <dd>{formatWhen(feed.lastUpdated)}</dd>
          <dt>{t('feedSequence')}</dt>
          <dd>{feed.sequence}</dd>
          <dt>{t('feedExpires')}</dt>
          <dd>{formatWhen(feed.expires)}</dd>
          <dt>{t('feedLabelCount')}</dt>
          <dd>{feed.labelCount}</dd>
          <dt>{t('feedAddress')}</dt>
          <dd class="mono">{feed.url}</dd>
          {feed.lastError && (
            <>
              <dt>{t('feedLastError')}</dt>
              <dd class="error">
                {feed.lastError.message} ({formatWhen(feed.lastError.at)})
              </dd>
            </>
          )}
        </dl>
        {percent !== null && (
          <progress max={100} value={percent} aria-label={t('feedProgress', feed.name)}>
            {percent} %
          </progress>
        )}
        <div class="row">
          <label class="check">
            <input
              type="checkbox"
              checked={feed.enabled}
              onChange={(e) =>
                void run(sendMessage('setFeedEnabled', { feedId: feed.id, enabled: e.currentTarget.checked }))
              }
            />
            {t('feedEnabled')}
          </label>
          <button
            type="button"
            disabled={!feed.enabled}
            onClick={() => void run(sendMessage('syncNow', feed.id))}
          >
            {t('updateNow')}
          </button>
          {!feed.bundled && !confirming && (
            <button type="button" class="danger" ref={unsubscribeButton} onClick={() => setConfirming(true)}>
              {t('unsubscribe')}
            </button>
          )}
        </div>
        {confirming && (
          <div class="panel">
            <p>{tNodes('confirmUnsubscribe', isolated([feed.name]))}</p>
            <div class="row">
              <button
                type="button"
                class="danger"
                ref={confirmButton}
                onClick={() => {
                  setConfirming(false);
                  void run(sendMessage('unsubscribe', feed.id));
                }}
              >
                {t('unsubscribeConfirm')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('cancel')}
              </button>
            </div>
          </div>
        )}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </section>
    </li>
  );
}

export function FeedsSection() {
  const feeds = useStorageItem(feedStatusItem);
  return (
    <section aria-labelledby="feeds-heading">
      <h2 id="feeds-heading">{t('feedsHeading')}</h2>
      <SubscribeForm />
      {feeds && feeds.length > 0 ? (
        <ul class="plain">
          {feeds.map((feed) => (
            <FeedItem key={feed.id} feed={feed} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('noFeeds')}</p>
      )}
    </section>
  );
}
