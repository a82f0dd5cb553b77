/**
 * Test helpers for sync/: feeds built with the real feed library, and a tiny in-memory web server
 * that stands in for `fetch` (ETags, 304s, request log, and per-URL faults). Used only by tests;
 * never imported by product code.
 */
import {
  type BuiltFeed,
  base64Encode,
  buildFeed,
  type FeedSource,
  generateKeyPair,
  type KeyPair,
  type LabelDefinition,
  type LabelInput,
  previousOf,
  sha256Hex,
} from '../feed';
import { exampleDefinition, exampleSource } from '../feed/testing';

/** Two definitions under the short ids the sync tests look up. */
export const DEFINITIONS: LabelDefinition[] = [
  exampleDefinition('suspended', {
    title: { en: 'Account suspended' },
    description: { en: 'The platform suspended this account.' },
    severity: 'alert',
  }),
  exampleDefinition('state-media', {
    title: { en: 'State media' },
    description: { en: 'Controlled by a state.' },
  }),
];

export function xLabel(id: string, handle: string, extra: Partial<LabelInput> = {}): LabelInput {
  return {
    id,
    account: `https://x.com/${handle}`,
    val: 'suspended',
    sources: [{ url: `https://news.example/${id}` }],
    cts: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

/** The lookup key normalizeTarget gives `https://x.com/<handle>`. */
export function xKey(handle: string): string {
  return `account:x:${handle.toLowerCase()}`;
}

/** The example feed (feed/testing.ts) at `id`, named as the sync tests expect, with these labels. */
export function feedSource(id: string, labels: LabelInput[], extra: Partial<FeedSource> = {}): FeedSource {
  return exampleSource(0, {
    id,
    name: 'Test feed',
    publisher: 'Test publisher',
    definitions: DEFINITIONS,
    labels,
    ...extra,
  });
}

export async function keys(): Promise<KeyPair> {
  return generateKeyPair();
}

export function publicKeyText(pair: KeyPair): string {
  return base64Encode(pair.publicKey);
}

export async function build(
  source: FeedSource,
  pair: KeyPair,
  opts: { sequence?: number; chunkSize?: number; previous?: BuiltFeed; now?: Date } = {},
): Promise<BuiltFeed> {
  const previous = opts.previous ? await previousOf(opts.previous) : undefined;
  return buildFeed(source, {
    privateKey: pair.privateKey,
    ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
    ...(opts.sequence ? { sequence: opts.sequence } : {}),
    ...(previous ? { previous } : {}),
    now: opts.now ?? new Date(),
  });
}

export interface LoggedRequest {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal | null;
}

type Handler = (request: LoggedRequest) => Response | Promise<Response>;

/** An in-memory web server for `fetch`: serves published files with ETags and honours If-None-Match. */
export class FeedServer {
  readonly files = new Map<string, Uint8Array>();
  readonly requests: LoggedRequest[] = [];
  readonly faults = new Map<string, Handler>();

  /** Publishes every file of a built feed under `dir` (ending in '/'), replacing the old feed.json. */
  publish(dir: string, built: BuiltFeed): void {
    for (const [path, bytes] of built.files) this.files.set(dir + path, bytes);
  }

  put(url: string, body: Uint8Array | string): void {
    this.files.set(url, typeof body === 'string' ? new TextEncoder().encode(body) : body);
  }

  fail(url: string, handler: Handler): void {
    this.faults.set(url, handler);
  }

  requested(prefix: string): LoggedRequest[] {
    return this.requests.filter((r) => r.url.startsWith(prefix));
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const request = { url, headers, signal: init.signal ?? null };
    this.requests.push(request);
    const fault = this.faults.get(url);
    if (fault) return fault(request);
    const body = this.files.get(url);
    if (!body) return new Response('not found', { status: 404 });
    const etag = `"${sha256Hex(body).slice(0, 16)}"`;
    if (headers['if-none-match'] === etag) return new Response(null, { status: 304, headers: { etag } });
    return new Response(body.slice(), {
      status: 200,
      headers: { etag, 'content-length': String(body.length), 'content-type': 'application/json' },
    });
  };
}
