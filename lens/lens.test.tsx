// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchedLabel } from '../components/testLabels';
import { linkLookupKeys } from '../feed/link-keys';
import type { LabelAction } from '../feed/types';
import type { CuratorTarget, MatchedLabel } from '../messaging/protocol';
import type { PostData, SiteAdapter } from '../sites/types';
import { xKeys } from '../sites/x/site';
import type { AccountException } from '../storage/exceptions';
import { labelActionKey } from '../storage/settings';
import { createLens, INDEX_WAIT_MS, LAYOUT_GRACE_MS, type Lens, type LensSettings, UNDO_MS } from './lens';
import { pageIndexOf } from './testing';
import { createElementUiHost } from './ui';

/**
 * A small site for the lens: <article class="post" data-permalink> with an author link, a time, body
 * links and an optional quoted <div class="quote" data-permalink>. Its adapter reads it the way real
 * adapters read real sites.
 */
function readPost(element: Element, location: URL): PostData | null {
  if (element.hasAttribute('data-ad')) return null;
  const authorAnchor = element.querySelector(':scope > header > a.author');
  const quoteElement = element.querySelector(':scope > .quote');
  const quoteAuthor = quoteElement?.querySelector('a.author');
  const permalink = element.getAttribute('data-permalink');
  return {
    element,
    ...(permalink ? { permalink: new URL(permalink, location).href } : {}),
    ...(authorAnchor
      ? {
          author: {
            url: new URL(authorAnchor.getAttribute('href') ?? '', location).href,
            anchor: authorAnchor,
          },
        }
      : {}),
    ...(element.querySelector(':scope > header > time')
      ? { time: element.querySelector(':scope > header > time')?.getAttribute('datetime') ?? '' }
      : {}),
    links: [...element.querySelectorAll(':scope > p a.link')].map((anchor) => ({
      url: new URL(anchor.getAttribute('href') ?? '', location).href,
      anchor,
    })),
    ...(quoteElement && quoteAuthor
      ? {
          quoted: {
            element: quoteElement,
            permalink: new URL(quoteElement.getAttribute('data-permalink') ?? '', location).href,
            author: {
              url: new URL(quoteAuthor.getAttribute('href') ?? '', location).href,
              anchor: quoteAuthor,
            },
            links: [],
          },
        }
      : {}),
  };
}

const testAdapter: SiteAdapter = {
  id: 'x',
  name: 'X',
  matches: () => true,
  postSelector: 'article.post',
  parsePost: readPost,
  quickRead: { attributes: ['href', 'data-permalink'] },
  keyRules: [xKeys],
  findProfileHeader(doc, location) {
    const element = doc.querySelector('.profile-header');
    const anchor = element?.querySelector('.handle');
    if (!element || !anchor) return null;
    return { element, account: { url: location.origin + location.pathname, anchor } };
  },
};

function postHtml(id: number, handle: string, extra = ''): string {
  return `<article class="post" data-permalink="/${handle}/status/${id}">
    <header><a class="author" href="/${handle}">${handle}</a> <time datetime="2021-01-06T18:00:00Z">Jan 6</time></header>
    <p>Post ${id} ${extra}</p>
  </article>`;
}

const TRUMP = 'account:x:realdonaldtrump';
const suspended = matchedLabel({ key: TRUMP });
const parlerLabel = matchedLabel({
  key: 'link:domain:parler.com',
  labelId: 'parler-hosting',
  definition: { id: 'hosting-terminated', title: { en: 'Hosting terminated' }, severity: 'caution' },
});
const stateMedia = matchedLabel({
  key: TRUMP,
  labelId: 'other',
  feedId: 'https://other.example/feed.json',
  definition: { id: 'state-affiliated', title: { en: 'State-affiliated media' }, severity: 'info' },
});

let labelsByKey: Map<string, MatchedLabel[]>;
let lookup: ReturnType<typeof vi.fn<(keys: string[]) => Promise<MatchedLabel[]>>>;
let frames: (() => void)[];
let timers: { at: number; callback: () => void }[];
let clock: number;
/** Milliseconds each look at the clock costs: makes work take time. */
let tickPerNow = 0;
let curatorForms: CuratorTarget[];
/** What the lens asked the content script to store and to remove ("Not on this account"). */
let exceptionsAdded: AccountException[];
let exceptionsRemoved: AccountException[];
let lens: Lens;
const url = { current: new URL('https://x.com/home') };

const on = (actions: Record<string, LabelAction> = {}, curatorMode = false): LensSettings => ({
  active: true,
  actions,
  curatorMode,
});

async function settle(): Promise<void> {
  // Mutation records, frames and look-up answers, until nothing is left to do.
  for (let round = 0; round < 20; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    const pending = frames;
    frames = [];
    for (const frame of pending) frame();
    if (pending.length === 0 && frames.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (frames.length === 0) return;
    }
  }
}

function advance(ms: number): void {
  clock += ms;
  const due = timers.filter((t) => t.at <= clock);
  timers = timers.filter((t) => t.at > clock);
  for (const t of due) t.callback();
}

function badges(root: ParentNode = document): Element[] {
  return [...root.querySelectorAll('context-lens-label')];
}

function posts(): Element[] {
  return [...document.querySelectorAll('article.post')];
}

beforeEach(() => {
  document.body.innerHTML = '<main id="timeline"></main>';
  labelsByKey = new Map([
    [TRUMP, [suspended]],
    ['link:domain:parler.com', [parlerLabel]],
  ]);
  // As the background answers (sync/page-lookup.ts): a `url:` key through the link keys it gives.
  lookup = vi.fn(async (keys: string[]) =>
    keys.flatMap((key) =>
      key.startsWith('url:')
        ? linkLookupKeys(key.slice(4)).flatMap((linkKey) =>
            (labelsByKey.get(linkKey) ?? []).map((label) => ({ ...label, asked: key })),
          )
        : (labelsByKey.get(key) ?? []),
    ),
  );
  frames = [];
  timers = [];
  clock = 1000;
  tickPerNow = 0;
  curatorForms = [];
  exceptionsAdded = [];
  exceptionsRemoved = [];
  url.current = new URL('https://x.com/home');
  lens = createLens({
    adapter: testAdapter,
    doc: document,
    location: () => url.current,
    lookup,
    ui: createElementUiHost(document),
    requestFrame: (callback) => frames.push(callback),
    setTimeout: (callback, ms) => timers.push({ at: clock + ms, callback }),
    now: () => {
      clock += tickPerNow;
      return clock;
    },
    lang: 'en',
    theme: () => 'light',
    openCuratorForm: (target) => curatorForms.push(target),
    addException: (exception) => exceptionsAdded.push(exception),
    removeException: (exception) => exceptionsRemoved.push(exception),
  });
});

afterEach(() => {
  lens.stop();
});

function timeline(): Element {
  return document.getElementById('timeline') as Element;
}

describe('labelling posts', () => {
  it('puts a badge beside a labelled author, inside the post, and none on other posts', async () => {
    timeline().innerHTML =
      postHtml(1, 'realDonaldTrump') +
      postHtml(2, 'someone') +
      postHtml(3, 'someone', '<a class="link" href="https://parler.com/p/1">parler</a>');
    lens.update(on());
    await settle();
    const [first, second, third] = posts();
    const badge = badges(first as Element)[0] as Element;
    expect(badge.getAttribute('data-labels')).toBe('account-suspended');
    expect(badge.getAttribute('data-targets')).toBe(TRUMP);
    expect(badge.previousElementSibling?.className).toBe('author');
    expect(badges(second as Element)).toHaveLength(0);
    const linkBadge = badges(third as Element)[0] as Element;
    expect(linkBadge.getAttribute('data-labels')).toBe('hosting-terminated');
    expect(linkBadge.getAttribute('data-targets')).toBe('link:domain:parler.com');
    expect(linkBadge.previousElementSibling?.className).toBe('link');
    // One message for the whole batch, each key once.
    expect(lookup).toHaveBeenCalledTimes(1);
    const asked = lookup.mock.calls[0]?.[0] ?? [];
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toEqual(
      expect.arrayContaining([TRUMP, 'post:x:1', 'account:x:someone', 'url:https://parler.com/p/1']),
    );
    const button = badge.shadowRoot?.querySelector('button');
    expect(button?.getAttribute('aria-label')).toBe('Context label: Account suspended');
  });

  it('labels posts the page appends later, asking only about keys it has not asked before', async () => {
    lens.update(on());
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    expect(badges()).toHaveLength(1);
    expect(lookup).toHaveBeenCalledTimes(1);
    timeline().insertAdjacentHTML('beforeend', postHtml(1, 'realDonaldTrump'));
    await settle();
    expect(badges()).toHaveLength(2);
    expect(lookup).toHaveBeenCalledTimes(1);
    timeline().insertAdjacentHTML('beforeend', postHtml(5, 'realDonaldTrump') + postHtml(6, 'newperson'));
    await settle();
    expect(badges()).toHaveLength(3);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect([...(lookup.mock.calls[1]?.[0] ?? [])].sort()).toEqual([
      'account:x:newperson',
      'post:x:5',
      'post:x:6',
    ]);
  });

  it('spreads a long timeline over frames within the time budget, and labels all of it', async () => {
    lens.update(on());
    await settle();
    const many = Array.from({ length: 200 }, (_, i) =>
      postHtml(100 + i, i % 4 === 0 ? 'realDonaldTrump' : 'someone'),
    );
    for (let i = 0; i < many.length; i += 20)
      timeline().insertAdjacentHTML('beforeend', many.slice(i, i + 20).join(''));
    // Each post costs about 1 ms here: a few posts a frame.
    tickPerNow = 1;
    let framesRun = 0;
    let mostInOneFrame = 0;
    for (let round = 0; round < 400; round++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const pending = frames;
      frames = [];
      for (const frame of pending) {
        framesRun++;
        const before = document.querySelectorAll('context-lens-label').length;
        frame();
        mostInOneFrame = Math.max(
          mostInOneFrame,
          document.querySelectorAll('context-lens-label').length - before,
        );
      }
      if (pending.length === 0 && round > 2) break;
    }
    tickPerNow = 0;
    await settle();
    expect(badges()).toHaveLength(50);
    expect(mostInOneFrame).toBeLessThanOrEqual(4);
    expect(framesRun).toBeGreaterThan(40);
  });

  it('spreads the first scan of a long page over frames too', async () => {
    timeline().innerHTML = Array.from({ length: 100 }, (_, i) =>
      postHtml(500 + i, i % 10 === 0 ? 'realDonaldTrump' : 'someone'),
    ).join('');
    tickPerNow = 1;
    lens.update(on());
    let framesRun = 0;
    let mostPostsInOneFrame = 0;
    const parse = vi.spyOn(testAdapter, 'parsePost');
    for (let round = 0; round < 200; round++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const pending = frames;
      frames = [];
      for (const frame of pending) {
        framesRun++;
        const before = parse.mock.calls.length;
        frame();
        mostPostsInOneFrame = Math.max(mostPostsInOneFrame, parse.mock.calls.length - before);
      }
      if (pending.length === 0 && round > 2) break;
    }
    tickPerNow = 0;
    await settle();
    parse.mockRestore();
    expect(badges()).toHaveLength(10);
    expect(framesRun).toBeGreaterThan(20);
    expect(mostPostsInOneFrame).toBeLessThanOrEqual(5);
  });

  it('groups several labels at one place into one badge with a count', async () => {
    labelsByKey.set(TRUMP, [stateMedia, suspended]);
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    const all = badges();
    expect(all).toHaveLength(1);
    const badge = all[0] as Element;
    expect(badge.getAttribute('data-labels')).toBe('account-suspended state-affiliated');
    const button = badge.shadowRoot?.querySelector('button');
    expect(button?.getAttribute('aria-label')).toBe(
      'Context labels: 2 — Account suspended, State-affiliated media',
    );
    expect(button?.querySelector('.cl-count')?.textContent).toBe('2');
  });

  it("labels a quoted author inside the quoted post's element", async () => {
    timeline().innerHTML = `<article class="post" data-permalink="/someone/status/9">
      <header><a class="author" href="/someone">someone</a></header><p>look at this</p>
      <div class="quote" data-permalink="/realDonaldTrump/status/1"><a class="author" href="/realDonaldTrump">Trump</a></div>
    </article>`;
    lens.update(on());
    await settle();
    const quote = document.querySelector('.quote') as Element;
    expect(badges()).toHaveLength(1);
    expect(badges(quote)).toHaveLength(1);
  });

  it('skips a post it cannot read and labels the others', async () => {
    const errors: unknown[] = [];
    lens.stop();
    lens = createLens({
      adapter: {
        ...testAdapter,
        parsePost: (element, location) => {
          if (element.getAttribute('data-permalink')?.endsWith('/2')) throw new Error('broken markup');
          return readPost(element, location);
        },
      },
      doc: document,
      location: () => url.current,
      lookup,
      ui: createElementUiHost(document),
      requestFrame: (callback) => frames.push(callback),
      setTimeout: (callback, ms) => timers.push({ at: clock + ms, callback }),
      now: () => clock,
      lang: 'en',
      theme: () => 'light',
      openCuratorForm: () => undefined,
      onError: (error) => errors.push(error),
    });
    timeline().innerHTML =
      postHtml(1, 'realDonaldTrump') + postHtml(2, 'realDonaldTrump') + postHtml(3, 'realDonaldTrump');
    lens.update(on());
    await settle();
    expect(posts().map((post) => badges(post).length)).toEqual([1, 0, 1]);
    expect(errors).toHaveLength(1);
  });

  it('skips what the adapter does not read as a post', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump').replace('class="post"', 'class="post" data-ad');
    lens.update(on());
    await settle();
    expect(badges()).toHaveLength(0);
    expect(lens.health().postsRecognised).toBe(0);
  });
});

describe('node reuse and site re-renders', () => {
  it('reads an element again when the site reuses it for another post', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    const post = posts()[0] as Element;
    expect(badges(post)).toHaveLength(1);
    // The site recycles the element for someone else's post.
    post.setAttribute('data-permalink', '/someone/status/2');
    post.innerHTML = '<header><a class="author" href="/someone">someone</a></header><p>hello</p>';
    await settle();
    expect(badges(post)).toHaveLength(0);
    // …and back again.
    post.setAttribute('data-permalink', '/realDonaldTrump/status/3');
    post.innerHTML = '<header><a class="author" href="/realDonaldTrump">Trump</a></header><p>hi</p>';
    await settle();
    expect(badges(post)).toHaveLength(1);
  });

  it('puts a badge back when the site re-renders the author line', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    const header = document.querySelector('article.post > header') as Element;
    header.innerHTML = '<a class="author" href="/realDonaldTrump">Donald J. Trump</a>';
    await settle();
    expect(badges()).toHaveLength(1);
    expect(badges()[0]?.previousElementSibling?.textContent).toBe('Donald J. Trump');
  });
});

describe('actions', () => {
  const key = labelActionKey(suspended.feedId, 'account-suspended');

  it('covers a warned post with a notice and "Show post" reveals it', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'someone');
    lens.update(on({ [key]: 'warn' }));
    await settle();
    const [post, other] = posts() as [Element, Element];
    expect(post.getAttribute('data-context-lens')).toBe('warned');
    expect(other.hasAttribute('data-context-lens')).toBe(false);
    const cover = post.firstElementChild as Element;
    expect(cover.tagName).toBe('CONTEXT-LENS-COVER');
    expect(cover.shadowRoot?.textContent).toContain('Context label: Account suspended');
    expect(document.querySelector('style[data-context-lens-style]')?.textContent).toContain('display: none');
    // The badge is still there, under the cover.
    expect(badges(post)).toHaveLength(1);
    fireEvent.click(cover.shadowRoot?.querySelector('button') as Element);
    expect(post.hasAttribute('data-context-lens-shown')).toBe(true);
    expect(post.getAttribute('data-context-lens')).toBe('warned');
  });

  it('collapses a hidden post to one line that expands on click; the strongest action wins', async () => {
    timeline().innerHTML = postHtml(
      1,
      'realDonaldTrump',
      '<a class="link" href="https://parler.com/x">p</a>',
    );
    lens.update(on({ [key]: 'warn', [labelActionKey(parlerLabel.feedId, 'hosting-terminated')]: 'hide' }));
    await settle();
    const post = posts()[0] as Element;
    expect(post.getAttribute('data-context-lens')).toBe('hidden');
    const line = post.firstElementChild as Element;
    expect(line.tagName).toBe('CONTEXT-LENS-HIDDEN');
    const button = line.shadowRoot?.querySelector('button') as Element;
    expect(button.textContent).toContain('Hidden by Context Lens: Hosting terminated');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(post.hasAttribute('data-context-lens-shown')).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(button);
    expect(post.hasAttribute('data-context-lens-shown')).toBe(false);
  });

  it('names on the cover the labels that asked for it, whatever their order', async () => {
    labelsByKey.set(TRUMP, [stateMedia, suspended]);
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on({ [labelActionKey(stateMedia.feedId, 'state-affiliated')]: 'warn' }));
    await settle();
    const cover = document.querySelector('context-lens-cover') as Element;
    expect(cover.shadowRoot?.querySelector('.cl-cover-text')?.textContent).toBe(
      'Context label: State-affiliated media',
    );
  });

  it('applies settings changes to the open page from the cache, without asking again', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'someone');
    lens.update(on());
    await settle();
    const post = posts()[0] as Element;
    expect(badges(post)).toHaveLength(1);
    lens.update(on({ [key]: 'hide' }));
    expect(post.getAttribute('data-context-lens')).toBe('hidden');
    lens.update(on({ [key]: 'off' }));
    expect(post.hasAttribute('data-context-lens')).toBe(false);
    expect(badges()).toHaveLength(0);
    expect(post.querySelector('context-lens-hidden')).toBeNull();
    lens.update(on({ [key]: 'warn' }));
    expect(post.getAttribute('data-context-lens')).toBe('warned');
    expect(badges(post)).toHaveLength(1);
    lens.update({ ...on({ [key]: 'warn' }), active: false });
    expect(
      document.querySelectorAll('context-lens-label, context-lens-cover, context-lens-hidden'),
    ).toHaveLength(0);
    expect(document.querySelector('[data-context-lens]')).toBeNull();
    expect(document.querySelector('style[data-context-lens-style]')).toBeNull();
    lens.update(on());
    await settle();
    expect(badges(post)).toHaveLength(1);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('asks again when the feeds change, and drops labels that are gone', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    expect(badges()).toHaveLength(1);
    labelsByKey.delete(TRUMP);
    lens.feedsChanged();
    await settle();
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(badges()).toHaveLength(0);
  });

  it('tries again later when the background does not answer', async () => {
    lookup.mockRejectedValueOnce(new Error('Could not establish connection'));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    expect(badges()).toHaveLength(0);
    advance(2000);
    await settle();
    expect(badges()).toHaveLength(1);
    expect(lookup).toHaveBeenCalledTimes(2);
  });
});

describe('"Not on this account"', () => {
  const HIDE = 'Not on this account: hide “Account suspended” beside this account';

  /** A button of the badge, or of the details panel it opened (a UI of its own in the post). */
  function button(badge: Element, name: string): HTMLButtonElement {
    const roots = [badge, ...document.querySelectorAll('context-lens-panel')].map((host) => host.shadowRoot);
    const found = roots
      .flatMap((root) => [...(root?.querySelectorAll('button') ?? [])])
      .find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name);
    if (!found) throw new Error(`no button "${name}" in ${badge.shadowRoot?.innerHTML}`);
    return found as HTMLButtonElement;
  }

  /** Each badge: its labels, or `undo` when it only offers Undo. */
  function shown(): string[] {
    return badges().map((b) =>
      b.shadowRoot?.querySelector('.cl-badge') ? (b.getAttribute('data-labels') ?? '') : 'undo',
    );
  }

  async function hideFromFirstBadge(badgeName = 'Context label: Account suspended'): Promise<void> {
    const badge = badges(posts()[0])[0] as Element;
    fireEvent.click(button(badge, badgeName));
    fireEvent.click(button(badge, HIDE));
    await settle();
  }

  it('hides the label beside every post of the account at once, offers Undo for 10 s, then it is gone', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'realDonaldTrump') + postHtml(3, 'x');
    lens.update(on());
    await settle();
    expect(shown()).toEqual(['account-suspended', 'account-suspended']);
    await hideFromFirstBadge();
    expect(exceptionsAdded).toEqual([
      {
        account: TRUMP,
        added: expect.any(String),
        label: { feedId: suspended.feedId, labelId: suspended.labelId, title: 'Account suspended' },
      },
    ]);
    // At once, before the storage watch answers: the account's places offer Undo instead.
    expect(shown()).toEqual(['undo', 'undo']);
    expect(badges()[0]?.shadowRoot?.textContent).toBe('Hidden on this account. Undo');
    // The storage watch brings the same list: nothing changes.
    lens.update({ ...on(), exceptions: exceptionsAdded });
    expect(shown()).toEqual(['undo', 'undo']);
    advance(UNDO_MS - 1);
    expect(shown()).toEqual(['undo', 'undo']);
    advance(1);
    expect(shown()).toEqual([]);
    expect(exceptionsRemoved).toEqual([]);
  });

  it('Undo shows the label again at once and asks to remove the exception', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'realDonaldTrump');
    labelsByKey.set(TRUMP, [suspended, stateMedia]);
    lens.update(on());
    await settle();
    await hideFromFirstBadge('Context labels: 2 — Account suspended, State-affiliated media');
    lens.update({ ...on(), exceptions: exceptionsAdded });
    // The other label stays beside the account, with the Undo offer.
    expect(shown()).toEqual(['state-affiliated', 'state-affiliated']);
    fireEvent.click(button(badges()[0] as Element, 'Undo'));
    expect(exceptionsRemoved).toEqual(exceptionsAdded);
    expect(shown()).toEqual(['account-suspended state-affiliated', 'account-suspended state-affiliated']);
    expect(badges()[0]?.shadowRoot?.textContent).not.toContain('Undo');
    // The storage watch then brings the emptied list, and the timer that was running finds nothing to end.
    lens.update({ ...on(), exceptions: [] });
    advance(UNDO_MS);
    expect(shown()).toEqual(['account-suspended state-affiliated', 'account-suspended state-affiliated']);
  });
});

describe('stopping', () => {
  it('leaves nothing behind, even when a look-up answers after the stop', async () => {
    let answer: (labels: MatchedLabel[]) => void = () => undefined;
    lookup.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.update(on());
    await settle();
    lens.stop();
    answer([suspended]);
    timeline().insertAdjacentHTML('beforeend', postHtml(2, 'realDonaldTrump'));
    await settle();
    expect(badges()).toHaveLength(0);
    expect(frames).toHaveLength(0);
  });
});

describe('profile header, navigation, health', () => {
  it('labels the profile header after a single-page navigation', async () => {
    timeline().innerHTML = postHtml(2, 'someone');
    lens.update(on());
    await settle();
    expect(badges()).toHaveLength(0);
    url.current = new URL('https://x.com/realDonaldTrump');
    document.body.insertAdjacentHTML(
      'afterbegin',
      '<div class="profile-header"><h2>Donald J. Trump</h2><span class="handle">@realDonaldTrump</span></div>',
    );
    lens.locationChanged();
    await settle();
    const header = document.querySelector('.profile-header') as Element;
    expect(badges(header)).toHaveLength(1);
    expect(badges(header)[0]?.getAttribute('data-targets')).toBe(TRUMP);
    expect(lens.health().labelsShown).toBe(1);
    // Navigating away removes it.
    url.current = new URL('https://x.com/home');
    header.remove();
    lens.locationChanged();
    await settle();
    expect(lens.health().labelsShown).toBe(0);
  });

  it('reports posts recognised, labelled and labels shown', async () => {
    labelsByKey.set(TRUMP, [suspended, stateMedia]);
    timeline().innerHTML =
      postHtml(1, 'realDonaldTrump') +
      postHtml(2, 'someone') +
      postHtml(3, 'x', '<a class="link" href="https://parler.com">p</a>');
    lens.update(on());
    await settle();
    expect(lens.health()).toEqual({
      site: 'x',
      postsRecognised: 3,
      postsLabelled: 2,
      labelsShown: 3,
      layoutMayHaveChanged: false,
    });
  });

  it('reports a possible layout change when a supported page shows no posts after a few seconds', async () => {
    timeline().innerHTML = '<div class="new-layout">posts the adapter cannot see</div>';
    lens.update(on());
    await settle();
    expect(lens.health().layoutMayHaveChanged).toBe(false);
    advance(LAYOUT_GRACE_MS);
    expect(lens.health().layoutMayHaveChanged).toBe(true);
    timeline().innerHTML = postHtml(2, 'someone');
    await settle();
    expect(lens.health().layoutMayHaveChanged).toBe(false);
  });
});

describe('curator mode', () => {
  it('puts a "Label…" button beside each author that opens the label form for that account', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'someone');
    lens.update(on({}, true));
    await settle();
    const buttons = [...document.querySelectorAll('context-lens-curator')];
    expect(buttons).toHaveLength(2);
    const button = buttons[1]?.shadowRoot?.querySelector('button') as Element;
    expect(button.getAttribute('aria-label')).toBe('Label this account…');
    fireEvent.click(button);
    expect(curatorForms).toEqual([
      { kind: 'account', url: 'https://x.com/someone', pageUrl: 'https://x.com/home' },
    ]);
    lens.update(on({}, false));
    expect(document.querySelectorAll('context-lens-curator')).toHaveLength(0);
    expect(badges()).toHaveLength(1);
  });

  it('remembers the post, author and link under the last context menu', async () => {
    timeline().innerHTML =
      postHtml(7, 'someone', '<a class="link" href="https://parler.com/p/9"><b>parler</b></a>') +
      '<div class="profile-header"><span class="handle">@realDonaldTrump</span></div>';
    lens.update(on());
    await settle();
    const path = (el: Element | null): Element[] => {
      const out: Element[] = [];
      for (let node = el; node; node = node.parentElement) out.push(node);
      return out;
    };
    lens.contextMenu(path(document.querySelector('a.link b')));
    expect(lens.contextTarget()).toEqual({
      account: 'https://x.com/someone',
      post: 'https://x.com/someone/status/7',
      link: 'https://parler.com/p/9',
    });
    url.current = new URL('https://x.com/realDonaldTrump');
    lens.contextMenu(path(document.querySelector('.handle')));
    expect(lens.contextTarget()).toEqual({ account: 'https://x.com/realDonaldTrump' });
    lens.contextMenu(path(document.getElementById('timeline')));
    expect(lens.contextTarget()).toEqual({});
    // A link inside a site's own shadow root: the path leads through it to the post.
    const post = document.querySelector('article.post') as Element;
    const inner = document.createElement('div');
    post.querySelector('p')?.append(inner);
    const shadow = inner.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<a href="https://parler.com/deep">deep</a>';
    const deep = shadow.querySelector('a') as Element;
    lens.contextMenu([deep, ...path(inner)]);
    expect(lens.contextTarget()).toEqual({
      account: 'https://x.com/someone',
      post: 'https://x.com/someone/status/7',
      link: 'https://parler.com/deep',
    });
  });
});

/** Settings with a "Not on this account" exception for one label beside TRUMP. */
function hidingSuspended(): LensSettings {
  return {
    ...on(),
    exceptions: [
      {
        account: TRUMP,
        label: { feedId: suspended.feedId, labelId: suspended.labelId, title: 'Account suspended' },
        added: '2026-01-01T00:00:00Z',
      },
    ],
  };
}

describe('with the page index', () => {
  it('passes over posts whose words name no labelled key without parsing them, and still counts them', async () => {
    const parse = vi.spyOn(testAdapter, 'parsePost');
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended, parlerLabel]));
    parse.mockClear();
    timeline().innerHTML =
      postHtml(1, 'realDonaldTrump') +
      postHtml(2, 'someone') +
      postHtml(3, 'another', '<a class="link" href="https://blog.example.org/x">blog</a>') +
      postHtml(4, 'third', '<a class="link" href="https://parler.com/p/1">parler</a>');
    await settle();
    const [trump, , , linking] = posts();
    // Only the post by the labelled account and the one linking to the labelled domain are read.
    expect(parse.mock.calls.map(([element]) => element)).toEqual([trump, linking]);
    expect(badges().map((badge) => badge.getAttribute('data-targets'))).toEqual([
      TRUMP,
      'link:domain:parler.com',
    ]);
    expect(lookup).not.toHaveBeenCalled();
    expect(lens.health()).toMatchObject({ postsRecognised: 4, postsLabelled: 2 });
    parse.mockRestore();
  });

  it('reads posts it passed over when a new index, other feeds or curator mode may show something on them', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([parlerLabel]));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'someone');
    await settle();
    expect(badges()).toHaveLength(0);
    // The index now labels the account: the post passed over is read and drawn.
    lens.setIndex(pageIndexOf([parlerLabel, suspended]));
    await settle();
    expect(badges().map((badge) => badge.getAttribute('data-targets'))).toEqual([TRUMP]);
    // Feeds changed, no index yet: every post is asked about again.
    lens.feedsChanged();
    await settle();
    expect(lookup.mock.calls.flat(2)).toEqual(expect.arrayContaining([TRUMP, 'account:x:someone']));
    lens.setIndex(pageIndexOf([parlerLabel]));
    timeline().insertAdjacentHTML('beforeend', postHtml(3, 'third'));
    await settle();
    expect(document.querySelectorAll('context-lens-curator')).toHaveLength(0);
    // Curator mode offers "Label…" on every post, those passed over too.
    lens.update(on({}, true));
    await settle();
    expect(document.querySelectorAll('context-lens-curator')).toHaveLength(3);
  });

  it('waits for an index it expects before reading the page, then reads only what may carry a label', async () => {
    const parse = vi.spyOn(testAdapter, 'parsePost');
    timeline().innerHTML = postHtml(1, 'realDonaldTrump') + postHtml(2, 'someone');
    lens.expectIndex();
    lens.update(on());
    await settle();
    expect(parse).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
    lens.setIndex(pageIndexOf([suspended, parlerLabel]));
    await settle();
    expect(parse.mock.calls.map(([element]) => element)).toEqual([posts()[0]]);
    expect(badges().map((badge) => badge.getAttribute('data-targets'))).toEqual([TRUMP]);
    expect(lookup).not.toHaveBeenCalled();
    // The wait is over: its timer changes nothing, and a later expectation (feeds changed) waits for nothing.
    advance(INDEX_WAIT_MS);
    lens.expectIndex();
    timeline().insertAdjacentHTML('beforeend', postHtml(3, 'realDonaldTrump'));
    await settle();
    expect(badges()).toHaveLength(2);
    parse.mockRestore();
  });

  it('reads the page without the index when it does not come within INDEX_WAIT_MS', async () => {
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    lens.expectIndex();
    lens.update(on());
    advance(INDEX_WAIT_MS - 1);
    await settle();
    expect(badges()).toHaveLength(0);
    advance(1);
    await settle();
    expect(badges().map((badge) => badge.getAttribute('data-targets'))).toEqual([TRUMP]);
    expect(lookup.mock.calls.flat(2)).toContain(TRUMP);
  });

  it('draws badges in the MutationObserver callback and asks for evidence only when a panel opens', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended, parlerLabel]));
    timeline().innerHTML =
      postHtml(1, 'realDonaldTrump') +
      postHtml(2, 'someone', '<a class="link" href="https://www.parler.com/p/1">parler</a>');
    // The observer's callback only: no frame, no task has run.
    await Promise.resolve();
    await Promise.resolve();
    expect(frames).toHaveLength(0);
    const [first, second] = posts();
    expect(badges(first as Element)[0]?.getAttribute('data-targets')).toBe(TRUMP);
    expect(badges(second as Element)[0]?.getAttribute('data-targets')).toBe('link:domain:parler.com');
    await settle();
    // Every key was answered by the index; nothing is asked until a panel needs the evidence.
    expect(lookup).not.toHaveBeenCalled();
    fireEvent.click(badges(first as Element)[0]?.shadowRoot?.querySelector('button') as Element);
    await settle();
    // One look-up, for the opened badge's labelled key only; its panel now shows the curator's note.
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup.mock.calls[0]?.[0]).toEqual([TRUMP]);
    const panel = document.querySelector('context-lens-panel');
    expect(panel?.shadowRoot?.textContent).toContain('Permanently suspended on 8 January 2021');
    expect(badges()).toHaveLength(2);
  });

  it('redraws a post when the evidence asked for an open panel no longer has a label the index gave', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended, stateMedia]));
    labelsByKey.set(TRUMP, [suspended]);
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await Promise.resolve();
    await Promise.resolve();
    expect(badges()[0]?.shadowRoot?.textContent).toContain('2');
    fireEvent.click(badges()[0]?.shadowRoot?.querySelector('button') as Element);
    await settle();
    expect(badges()).toHaveLength(1);
    expect(badges()[0]?.shadowRoot?.textContent).not.toContain('2');
  });

  it('waits for label ids before drawing beside an account with a one-label exception', async () => {
    lens.update(hidingSuspended());
    await settle();
    lens.setIndex(pageIndexOf([suspended]));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    expect(badges()).toHaveLength(0);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('asks for label ids when a one-label exception arrives for an account already drawn from the index', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended, stateMedia]));
    labelsByKey.set(TRUMP, [suspended, stateMedia]);
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    expect(badges()[0]?.shadowRoot?.textContent).toContain('2');
    expect(lookup).not.toHaveBeenCalled();
    // Made in another tab: the storage watch brings it here.
    lens.update(hidingSuspended());
    await settle();
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(badges()).toHaveLength(1);
    expect(badges()[0]?.shadowRoot?.textContent).not.toContain('2');
  });

  it('says the evidence is on its way in a panel opened before it arrives, and hides the label only once it has its id', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended]));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const answer = lookup.getMockImplementation();
    lookup.mockImplementation(async (keys: string[]) => {
      await gate;
      return (await answer?.(keys)) ?? [];
    });
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    fireEvent.click(badges()[0]?.shadowRoot?.querySelector('button') as Element);
    const panel = () => document.querySelector('context-lens-panel')?.shadowRoot;
    expect(panel()?.textContent).toContain("Loading the curator's note and sources");
    expect(panel()?.textContent).not.toContain('Permanently suspended on 8 January 2021');
    const waiting = panel()?.querySelector('.cl-hide') as HTMLButtonElement;
    expect(waiting.disabled).toBe(true);
    fireEvent.click(waiting);
    expect(exceptionsAdded).toEqual([]);
    release();
    await settle();
    // The same panel, still open, now shows the evidence and can hide the label by its id.
    expect(panel()?.textContent).toContain('Permanently suspended on 8 January 2021');
    expect(panel()?.textContent).not.toContain('Loading');
    const hide = panel()?.querySelector('.cl-hide') as HTMLButtonElement;
    expect(hide.disabled).toBe(false);
    fireEvent.click(hide);
    expect(exceptionsAdded.map((exception) => exception.label?.labelId)).toEqual([suspended.labelId]);
  });

  it('shows an open panel the labels a feed update brings, with their evidence', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended]));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    fireEvent.click(badges()[0]?.shadowRoot?.querySelector('button') as Element);
    await settle();
    const panel = () => document.querySelector('context-lens-panel')?.shadowRoot;
    expect(panel()?.textContent).toContain('Permanently suspended on 8 January 2021');
    expect(panel()?.textContent).not.toContain('State-affiliated media');
    // A feed update while the panel is open: another feed now labels the account too. The page index
    // is dropped until the new one arrives, so the labels come with their evidence.
    labelsByKey.set(TRUMP, [suspended, stateMedia]);
    lens.feedsChanged();
    await settle();
    lens.setIndex(pageIndexOf([suspended, stateMedia]));
    expect(panel()?.textContent).toContain('State-affiliated media');
    expect(panel()?.textContent).not.toContain("Loading the curator's note and sources");
    const hides = [...(panel()?.querySelectorAll<HTMLButtonElement>('.cl-hide') ?? [])];
    // Its "Not on this account" buttons (one per label, and one for all) can act at once.
    expect(hides.length).toBeGreaterThan(1);
    expect(hides.filter((hide) => hide.disabled)).toEqual([]);
  });

  it('asks for the evidence again after a pause when the background failed to answer, a few times', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended]));
    const answer = lookup.getMockImplementation();
    lookup.mockRejectedValue(new Error('worker stopped'));
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await settle();
    expect(lookup).not.toHaveBeenCalled();
    fireEvent.click(badges()[0]?.shadowRoot?.querySelector('button') as Element);
    await settle();
    expect(lookup).toHaveBeenCalledTimes(1);
    const panel = () => document.querySelector('context-lens-panel')?.shadowRoot;
    expect(panel()?.textContent).toContain("Loading the curator's note and sources");
    // Failures in a row are retried a few times, then left to the next posts' look-ups.
    for (let attempt = 2; attempt <= 4; attempt++) {
      advance(2000);
      await settle();
      expect(lookup).toHaveBeenCalledTimes(attempt);
    }
    advance(10_000);
    await settle();
    expect(lookup).toHaveBeenCalledTimes(4);
    lookup.mockImplementation(async (keys: string[]) => (await answer?.(keys)) ?? []);
    timeline().insertAdjacentHTML('beforeend', postHtml(2, 'someone'));
    await settle();
    expect(panel()?.textContent).toContain('Permanently suspended on 8 January 2021');
  });

  it('asks for every key as before once the feeds change, until a new index arrives', async () => {
    lens.update(on());
    await settle();
    lens.setIndex(pageIndexOf([suspended]));
    lens.feedsChanged();
    lookup.mockClear();
    timeline().innerHTML = postHtml(1, 'realDonaldTrump');
    await Promise.resolve();
    expect(badges()).toHaveLength(0);
    await settle();
    expect(badges()).toHaveLength(1);
    expect(lookup.mock.calls[0]?.[0]).toEqual(expect.arrayContaining([TRUMP, 'post:x:1']));
  });
});
