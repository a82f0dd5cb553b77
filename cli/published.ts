/**
 * Reading a published feed's files back through feed/'s verifier: the manifest from feed.json (its
 * signature checked against the key it names before anything in it is read) and the labels of
 * every chunk. Used by `build --previous` (to keep unchanged chunks, one chunk at a time) and
 * `inspect`. Checks nothing itself: every rule is feed/'s, and every problem comes back in its words.
 */
import {
  decodeChunk,
  openPublication,
  type PreviousReader,
  PublicationCheck,
  parseChunkText,
  sectionName,
} from '../feed/index';
import type { FeedManifest, FeedProblem, Label } from '../feed/types';
import type { FeedLocation } from './io';

export interface PublishedFeed {
  manifest: FeedManifest;
  keyids: string[];
  /** Labels by chunk path (inline labels are in manifest.labels). */
  chunkLabels: Map<string, Label[]>;
  /** The chunk files as stored, by path (`build --previous` keeps them byte for byte). */
  chunkFiles: Map<string, Uint8Array>;
  /** Total size of the chunk files in bytes. */
  chunkBytes: number;
}

export type PublishedResult = { ok: true; feed: PublishedFeed } | { ok: false; problems: FeedProblem[] };

type Opened = { ok: true; manifest: FeedManifest; keyids: string[] } | { ok: false; problems: FeedProblem[] };

/** feed.json read and its signature checked. */
async function openPublished(location: FeedLocation): Promise<Opened> {
  const bytes = await location.read('feed.json');
  if (bytes === null) return { ok: false, problems: [{ path: 'feed.json', message: 'not found' }] };
  const opened = await openPublication(bytes);
  if (!opened.ok)
    return { ok: false, problems: opened.refusal.problems.map((message) => ({ path: '', message })) };
  return { ok: true, manifest: opened.value.manifest, keyids: opened.value.keyids };
}

/**
 * A published feed for `build --previous`: its manifest now, each chunk read, matched to the
 * manifest and decoded only when the builder asks for it (so no more than one chunk is held at a
 * time), its labels checked by the builder (as readPublishedFeed checks them, through `check`).
 */
export async function openPreviousFeed(
  location: FeedLocation,
): Promise<{ ok: true; reader: PreviousReader } | { ok: false; problems: FeedProblem[] }> {
  const opened = await openPublished(location);
  if (!opened.ok) return opened;
  const { manifest } = opened;
  const reader: PreviousReader = {
    manifest,
    async chunk(index) {
      const ref = (manifest.chunks ?? [])[index];
      if (!ref) throw new RangeError(`no chunk ${index}`);
      const bytes = await location.read(ref.path);
      if (bytes === null)
        return { ok: false, problems: [{ path: `chunks[${index}] (${ref.path})`, message: 'not found' }] };
      // Decoded and matched to the manifest now; the builder checks the labels (feed/build.ts).
      const prefix = sectionName(manifest, index);
      const text = await decodeChunk(bytes, ref, prefix);
      if (!text.ok) return text;
      const check = () => parseChunkText(text.value, ref, manifest, prefix);
      return { ok: true, value: { bytes, text: text.value, check } };
    },
  };
  return { ok: true, reader };
}

export async function readPublishedFeed(location: FeedLocation): Promise<PublishedResult> {
  const opened = await openPublished(location);
  if (!opened.ok) return opened;
  const { manifest } = opened;
  const check = new PublicationCheck(manifest);
  const chunkLabels = new Map<string, Label[]>();
  const chunkFiles = new Map<string, Uint8Array>();
  const problems: FeedProblem[] = [];
  let chunkBytes = 0;
  for (const [index, ref] of (manifest.chunks ?? []).entries()) {
    const chunk = await location.read(ref.path);
    if (chunk === null) {
      problems.push({ path: `chunks[${index}] (${ref.path})`, message: 'not found' });
      continue;
    }
    const labels = await check.chunk(index, chunk);
    if (!labels.ok) {
      problems.push(...labels.problems);
      continue;
    }
    chunkLabels.set(ref.path, labels.value);
    chunkFiles.set(ref.path, chunk);
    chunkBytes += chunk.byteLength;
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, feed: { manifest, keyids: opened.keyids, chunkLabels, chunkFiles, chunkBytes } };
}
