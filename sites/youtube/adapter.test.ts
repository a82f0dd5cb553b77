// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { type LoadedFixture, loadFixture, parseAll, summarize } from '../../tests/site-fixtures.ts';
import { youtubeAdapter } from './adapter.ts';

const VIDEO = 'https://www.youtube.com/watch?v=ZqJbXGu6bA8';
const CHANNEL = 'https://www.youtube.com/channel/UCAql2DyGU2un1Ei2nMYsqOA';
const YT = 'https://www.youtube.com';

let open: LoadedFixture[] = [];
function load(name: string): LoadedFixture {
  const fixture = loadFixture('youtube', name);
  open.push(fixture);
  return fixture;
}
afterEach(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  open = [];
});

describe('youtubeAdapter.matches', () => {
  it.each([VIDEO, CHANNEL, 'https://youtube.com/@DonaldJTrump', 'https://m.youtube.com/watch?v=ZqJbXGu6bA8'])(
    'handles %s',
    (url) => {
      expect(youtubeAdapter.matches(new URL(url), document)).toBe(true);
    },
  );
  it.each(['https://www.reddit.com/', 'https://youtube.com.example.net/watch', 'https://www.instagram.com/'])(
    'leaves %s alone',
    (url) => {
      expect(youtubeAdapter.matches(new URL(url), document)).toBe(false);
    },
  );
});

describe('watch page (watch.html)', () => {
  it('reads the video and every comment and reply', () => {
    const page = load('watch');
    expect(parseAll(youtubeAdapter, page).map(summarize)).toEqual([
      {
        permalink: VIDEO,
        author: CHANNEL,
        authorAnchor: 'Donald J Trump',
        time: '2021-01-08T01:13:42.000Z',
        links: ['https://parler.com/realdonaldtrump'],
      },
      {
        permalink: `${VIDEO}&lc=UgzK3q9rVb1xY2m4Fd14AaABAg`,
        author: `${YT}/@patriotmom1776`,
        authorAnchor: '@patriotmom1776',
        links: ['https://parler.com/profile/realdonaldtrump'],
      },
      {
        permalink: `${VIDEO}&lc=UgzK3q9rVb1xY2m4Fd14AaABAg.9I2hQ0kT3Lb9I2j7Xc1QpZ`,
        author: `${YT}/@civicsteacher_dan`,
        authorAnchor: '@civicsteacher_dan',
        links: [],
      },
      {
        permalink: `${VIDEO}&lc=Ugw7tN2pXq4cLm1sR8h4AaABAg`,
        author: `${YT}/@harborlights`,
        authorAnchor: '@harborlights',
        links: ['https://x.com/realDonaldTrump'],
      },
      {
        permalink: `${VIDEO}&lc=UgyR5vB0nM8kQz3wT1p4AaABAg`,
        author: `${YT}/@jmarquez_news`,
        authorAnchor: '@jmarquez_news',
        links: ['https://apnews.com/article/transcript-trump-video-address'],
      },
      {
        permalink: `${VIDEO}&lc=UgxA9cD2eF4gH6jK8lM4AaABAg`,
        author: `${YT}/@quietreader42`,
        authorAnchor: '@quietreader42',
        links: [],
      },
      {
        permalink: `${VIDEO}&lc=UgzP1oI3uY5tR7eW9qA4AaABAg`,
        author: `${YT}/@appwatcher`,
        authorAnchor: '@appwatcher',
        links: [
          'https://apps.apple.com/us/app/parler/id1467880070',
          'https://play.google.com/store/apps/details?id=com.parler.parler',
        ],
      },
      {
        permalink: `${VIDEO}&lc=UgzP1oI3uY5tR7eW9qA4AaABAg.9I2k1mN0pQr9I2kZ8yXwVu`,
        author: `${YT}/@appwatcher`,
        authorAnchor: '@appwatcher',
        links: [],
      },
      {
        permalink: `${VIDEO}&lc=UgzP1oI3uY5tR7eW9qA4AaABAg.9I2l4sT6uVw9I2m0aBcDeF`,
        author: `${YT}/@snapfan_2021`,
        authorAnchor: '@snapfan_2021',
        links: ['https://www.snapchat.com/add/realdonaldtrump'],
      },
      {
        permalink: `${VIDEO}&lc=UgwM3nB5vC7xZ9aS1dF4AaABAg`,
        author: `${YT}/@eleanor_h`,
        authorAnchor: '@eleanor_h',
        links: [],
      },
    ]);
  });

  it('anchors the channel at its name, comment authors at their names, links at the links', () => {
    const page = load('watch');
    const [video, first] = parseAll(youtubeAdapter, page);
    expect(video?.element.tagName.toLowerCase()).toBe('ytd-watch-metadata');
    expect(video?.author?.anchor.closest('ytd-channel-name#channel-name')).not.toBeNull();
    expect(video?.links[0]?.anchor.closest('#description')).not.toBeNull();
    expect(first?.element.tagName.toLowerCase()).toBe('ytd-comment-view-model');
    expect(first?.author?.anchor.id).toBe('author-text');
    expect(first?.links[0]?.anchor.closest('#content-text')).not.toBeNull();
    // The wrapper is on the page; the adapter exposes the destination.
    expect(first?.links[0]?.anchor.getAttribute('href')).toMatch(/^https:\/\/www\.youtube\.com\/redirect\?/);
  });

  it('does not trust head metadata left over from another video (in-app navigation)', () => {
    const page = load('watch');
    page.document.querySelector('ytd-watch-flexy')?.setAttribute('video-id', 'Xy1234567_8');
    const video = youtubeAdapter.parsePost(
      page.document.querySelector('ytd-watch-metadata') as Element,
      page.location,
    );
    expect(video && summarize(video)).toEqual({
      permalink: 'https://www.youtube.com/watch?v=Xy1234567_8',
      author: `${YT}/@DonaldJTrump`,
      authorAnchor: 'Donald J Trump',
      links: ['https://parler.com/realdonaldtrump'],
    });
  });

  it('is not a channel page', () => {
    const page = load('watch');
    expect(youtubeAdapter.findProfileHeader(page.document, page.location)).toBeNull();
  });
});

describe('channel page (channel.html)', () => {
  it('finds the channel header, anchored at the channel name', () => {
    const page = load('channel');
    const header = youtubeAdapter.findProfileHeader(page.document, page.location);
    expect(header?.account.url).toBe(CHANNEL);
    expect(header?.account.anchor.tagName).toBe('H1');
    expect(header?.account.anchor.textContent).toBe('Donald J Trump');
    expect(header?.element.tagName.toLowerCase()).toBe('yt-page-header-renderer');
  });

  it('names the account from the URL the reader is on (handle pages too)', () => {
    const page = load('channel');
    const header = youtubeAdapter.findProfileHeader(
      page.document,
      new URL('https://www.youtube.com/@DonaldJTrump/videos'),
    );
    expect(header?.account.url).toBe(`${YT}/@DonaldJTrump`);
  });

  it('has no posts (the video grid is not read)', () => {
    const page = load('channel');
    expect(parseAll(youtubeAdapter, page)).toEqual([]);
  });
});
