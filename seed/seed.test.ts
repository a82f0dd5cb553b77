// The bundled seed feed: the committed public/seed verifies against the key the extension pins,
// says exactly what seed/seed.json says (source and build cannot drift), cites only https sources,
// and labels the targets other engineers' page fixtures rely on.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalLabel,
  openEnvelope,
  parseChunk,
  parseJsonSource,
  parseManifest,
  parsePublicKey,
  verifyFeed,
} from '../feed/index';
import { labelTarget } from '../feed/labels';
import { normalizeTarget } from '../feed/targets';
import type { FeedManifest, Label } from '../feed/types';

const ROOT = resolve(import.meta.dirname, '..');
const SEED_DIR = join(ROOT, 'public/seed');

async function readSeedFile(path: string): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(join(SEED_DIR, path)));
  } catch {
    return null;
  }
}

async function builtSeed(): Promise<{ manifest: FeedManifest; labels: Label[] }> {
  const opened = openEnvelope((await readSeedFile('feed.json')) as Uint8Array);
  if (!opened.ok) throw new Error(JSON.stringify(opened.problems));
  const parsed = parseManifest(opened.value.payload);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const manifest = parsed.value;
  const labels = [...(manifest.labels ?? [])];
  for (const ref of manifest.chunks ?? []) {
    const bytes = (await readSeedFile(ref.path)) as Uint8Array;
    const chunk = parseChunk(bytes, ref, manifest);
    if (!chunk.ok) throw new Error(JSON.stringify(chunk.problems));
    labels.push(...chunk.value);
  }
  return { manifest, labels };
}

async function seedSource() {
  const source = parseJsonSource(await readFile(join(ROOT, 'seed/seed.json'), 'utf8'));
  if (!source.ok) throw new Error(JSON.stringify(source.problems));
  return source.value;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

describe('the bundled seed feed', () => {
  it('verifies against public/seed/public-key.txt, the key the extension pins', async () => {
    const key = parsePublicKey(await readFile(join(SEED_DIR, 'public-key.txt'), 'utf8'));
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    // Verified as of its own issue date: once it expires the extension still shows its labels, marked
    // out of date (the sync tests cover that), so the passing of time must not fail this test.
    const { manifest } = await builtSeed();
    const report = await verifyFeed(readSeedFile, { publicKey: key.value, now: new Date(manifest.issued) });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('says exactly what seed/seed.json says', async () => {
    const source = await seedSource();
    const { manifest, labels } = await builtSeed();
    expect(manifest.id).toBe('https://context-lens.org/seed/feed.json');
    for (const field of ['id', 'name', 'publisher', 'homepage', 'description', 'appeals'] as const) {
      expect(manifest[field], field).toBe(source[field]);
    }
    expect(manifest.expires).toBe(source.expires);
    expect(manifest.definitions).toEqual(source.definitions);
    const fromSource = (source.labels as Label[]).map(canonicalLabel).sort(byId);
    expect(labels.map(canonicalLabel).sort(byId)).toEqual(fromSource);
  });

  it('stays current for well over a year after it is built', async () => {
    const { manifest } = await builtSeed();
    const lifetimeDays = (Date.parse(manifest.expires) - Date.parse(manifest.issued)) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThan(365);
    expect(manifest.appeals).toMatch(/^mailto:/);
  });

  it('cites only https sources, at least one per label, and every target is one the extension can match', async () => {
    const { labels } = await builtSeed();
    expect(labels.length).toBeGreaterThanOrEqual(10);
    for (const label of labels) {
      expect(label.sources.length, label.id).toBeGreaterThan(0);
      for (const source of label.sources)
        expect(new URL(source.url).protocol, `${label.id}: ${source.url}`).toBe('https:');
      const { kind, value } = labelTarget(label);
      expect(normalizeTarget(kind, value).ok, `${label.id}: ${value}`).toBe(true);
    }
  });

  it('labels the targets the page fixtures use, with the documented periods', async () => {
    const { labels } = await builtSeed();
    const find = (kind: 'account' | 'post' | 'link', target: string, val: string) =>
      labels.find((l) => l[kind] === target && l.val === val);

    expect(find('account', 'https://twitter.com/realDonaldTrump', 'account-suspended')).toMatchObject({
      since: '2021-01-08',
      until: '2022-11-19',
    });
    expect(find('account', 'https://twitter.com/realDonaldTrump', 'account-reinstated')).toMatchObject({
      since: '2022-11-19',
    });
    const posts = labels.filter((l) => l.post?.startsWith('https://twitter.com/realDonaldTrump/status/'));
    expect(posts.map((l) => l.post).sort()).toEqual([
      'https://twitter.com/realDonaldTrump/status/1346928882595885058',
      'https://twitter.com/realDonaldTrump/status/1347555316863553542',
      'https://twitter.com/realDonaldTrump/status/1347569870578266115',
    ]);
    expect(find('account', 'https://www.facebook.com/DonaldTrump', 'account-suspended')).toMatchObject({
      since: '2021-01-07',
    });
    expect(find('account', 'https://www.instagram.com/realdonaldtrump', 'account-suspended')).toMatchObject({
      since: '2021-01-07',
    });
    expect(find('link', 'https://www.snapchat.com/add/realdonaldtrump', 'account-suspended')).toBeDefined();
    expect(
      find('account', 'https://www.youtube.com/channel/UCAql2DyGU2un1Ei2nMYsqOA', 'account-suspended'),
    ).toMatchObject({ since: '2021-01-12' });
    expect(find('link', 'parler.com', 'hosting-terminated')).toMatchObject({ since: '2021-01-10' });
    expect(
      find('link', 'https://play.google.com/store/apps/details?id=com.parler.parler', 'app-store-removed'),
    ).toMatchObject({ since: '2021-01-08' });
    expect(
      find('link', 'https://apps.apple.com/us/app/parler/id1467880070', 'app-store-removed'),
    ).toMatchObject({
      since: '2021-01-09',
    });
    expect(find('account', 'https://truthsocial.com/@realDonaldTrump', 'jan6-reporting')).toBeDefined();
  });
});
