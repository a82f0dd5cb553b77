// sites/url.ts parseUrl: links in plain form skip the URL parser, with exactly the fields `new URL` gives.
import { describe, expect, it } from 'vitest';
import { parseUrl } from './url';

const FIELDS = [
  'href',
  'protocol',
  'username',
  'password',
  'host',
  'hostname',
  'port',
  'origin',
  'pathname',
  'search',
  'hash',
] as const;

function fieldsOf(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = url[field];
  out.params = [...url.searchParams];
  out.string = String(url);
  out.json = JSON.stringify(url);
  return out;
}

function expectSameAsParser(input: string): void {
  let expected: URL | null;
  try {
    expected = new URL(input);
  } catch {
    expected = null;
  }
  const got = parseUrl(input);
  if (expected === null) expect(got, input).toBeNull();
  else expect(got && fieldsOf(got), input).toEqual(fieldsOf(expected));
}

/** A small deterministic generator (mulberry32), so a failure names its input and repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseUrl', () => {
  it('reads a plain link without the URL parser, with the same fields', () => {
    for (const input of [
      'https://x.com/jack',
      'https://x.com/jack/status/20',
      'https://t.co/b1x',
      'http://blog7.example.org/2024/story-7?utm_source=x&b=c+d',
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1s',
      'https://www.facebook.com/profile.php?id=100',
      'https://bsky.app/profile/alice.bsky.social/post/3l2',
      'https://www.reddit.com/r/news/comments/abc/post_1/',
      'https://lnk0-3.example.com/',
      'https://a.b.c.example/p:at@h;x=1,(y)*!$~',
    ]) {
      expectSameAsParser(input);
      expect(parseUrl(input), input).not.toBeInstanceOf(URL);
    }
  });

  it('hands every other form to the URL parser', () => {
    for (const input of [
      'HTTPS://X.com/jack',
      'https://X.com/jack',
      'https://x.com',
      'https://x.com:443/a',
      'https://x.com:8080/a',
      'https://user:pw@x.com/a',
      'https://1.2.3/a',
      'https://0x7f.1/a',
      'https://127.0.0.1/a',
      'https://xn--nxasmq6b.com/',
      'https://xn--a.com/',
      'https://x.com/a/../b',
      'https://x.com/a/./b',
      'https://x.com/a/..',
      'https://x.com/%7Ejack',
      'https://x.com/a b',
      'https://x.com/a#frag',
      'https://x.com/a?',
      "https://x.com/a?b='c'",
      'https://x.com/a\\b',
      'https://ex ample.com/',
      'https://.x.com/',
      'https://x..com/',
      'https://x.com./',
      'ftp://x.com/a',
      'javascript:alert(1)',
      'https:.//x.com/',
      '',
    ]) {
      expectSameAsParser(input);
    }
  });

  it('gives the same fields as new URL for 5,000 generated inputs, a good share of them plain', () => {
    const next = random(8);
    let plain = 0;
    // Mostly characters the plain form allows, with now and then one it does not.
    const good = [
      '/',
      '/',
      'a',
      'B1',
      '-',
      '.',
      '..',
      '_',
      '~',
      '?',
      '=',
      '&',
      ':',
      '@',
      '!',
      '$',
      '(',
      ')',
      '*',
      '+',
      ',',
      ';',
    ];
    const bad = [
      '%',
      '%2e',
      '%41',
      '#',
      "'",
      ' ',
      '\\',
      '"',
      '<',
      '>',
      '`',
      '{',
      '}',
      '|',
      '^',
      'é',
      '\t',
      '\n',
      'ß',
      '//',
      'https:',
      'X',
    ];
    const hosts = [
      'x.com',
      'a-b.example.org',
      'A.com',
      '1.2.3.4',
      '0x1.2',
      'x.1',
      'x.1a',
      'xn--p1ai',
      'ex--a.com',
      'x.com:443',
      'u@x.com',
    ];
    for (let i = 0; i < 5_000; i++) {
      let input = `${next() < 0.5 ? 'https' : 'http'}://${hosts[Math.floor(next() * hosts.length)]}${next() < 0.8 ? '/' : ''}`;
      const length = Math.floor(next() * 10);
      for (let k = 0; k < length; k++) {
        const from = next() < 0.04 ? bad : good;
        input += from[Math.floor(next() * from.length)];
      }
      expectSameAsParser(input);
      const url = parseUrl(input);
      if (url && !(url instanceof URL)) plain++;
    }
    expect(plain).toBeGreaterThan(500);
  });
});
