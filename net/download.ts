/**
 * Bounded downloads of feed files, shared by the background sync and the curator CLI: every fetch
 * has a time limit (AbortSignal.timeout) and a byte cap enforced while the body streams in (a host
 * that sends endless data is cut off at the cap), and every failure comes back as a sentence a
 * reader understands (with the HTTP status when the server answered), never as a thrown error.
 * A redirect is followed only within the address's own origin: an answer that ends on another
 * origin is refused unread, so a feed and its chunks come from the one site the reader subscribed
 * to (and granted access to), whatever its server redirects to.
 * A caller's AbortSignal (the sync's, when the reader unsubscribes or turns the feed off) stops the
 * request or the body at once, with its own message.
 * Uses only web-standard fetch: no extension API. Must never buffer past the cap.
 */

/** A download, or why there is none; `status` is set when the server answered with an error. */
export type DownloadOutcome<T> = { ok: true; value: T } | { ok: false; message: string; status?: number };

export interface Download {
  /** 200, or 304 when a conditional request found nothing new. */
  status: number;
  bytes: Uint8Array;
  etag?: string;
  lastModified?: string;
}

export interface DownloadOptions {
  /** Refuse bodies longer than this. */
  maxBytes: number;
  timeoutMs: number;
  /** How the file is named in messages: "the feed file", "part 3 of the feed". */
  what: string;
  headers?: Record<string, string>;
  /** The message when the body is longer than maxBytes (default: "… is larger than … allowed"). */
  tooBig?: string;
  /** Cancels the download (the caller no longer wants it); the answer is then a failure saying so. */
  signal?: AbortSignal;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} seconds`;
}

function describeFailure(error: unknown, url: URL, options: DownloadOptions): string {
  if (options.signal?.aborted) return cancelledMessage(url, options);
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return `Downloading ${options.what} from ${url.host} took longer than ${seconds(options.timeoutMs)}; it was stopped.`;
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return `Could not reach ${url.host} to download ${options.what}${detail}. Check your connection; it will be retried.`;
}

function cancelledMessage(url: URL, options: DownloadOptions): string {
  return `The download of ${options.what} from ${url.host} was cancelled.`;
}

export async function download(
  address: string,
  options: DownloadOptions,
): Promise<DownloadOutcome<Download>> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return { ok: false, message: `${address} is not a valid address.` };
  }
  const tooBig =
    options.tooBig ??
    `${options.what} from ${url.host} is larger than the ${options.maxBytes.toLocaleString('en')} bytes allowed; it was refused.`;
  if (options.signal?.aborted) return { ok: false, message: cancelledMessage(url, options) };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url.href, {
      headers: options.headers,
      signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'follow',
    });
  } catch (error) {
    return { ok: false, message: describeFailure(error, url, options) };
  }
  // `response.url` is where the redirects ended ('' for a synthetic Response, which did not move).
  const landed = response.url ? new URL(response.url) : url;
  if (landed.origin !== url.origin) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      message: `The server ${url.host} redirected ${options.what} to another site (${landed.origin}); only ${url.origin} is trusted for it, so the answer was not used.`,
    };
  }
  const meta = {
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
  };
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, value: { status: 304, bytes: new Uint8Array(0), ...meta } };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return {
      ok: false,
      status: response.status,
      message: `The server ${url.host} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${options.what}.`,
    };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, message: capitalize(tooBig) };
  }
  const parts: Uint8Array[] = [];
  let length = 0;
  try {
    if (response.body) {
      const reader = response.body.getReader();
      // fetch errors the body when the signal aborts; cancelling the reader as well ends a pending
      // read whatever the body's source does.
      const stop = () => void reader.cancel().catch(() => undefined);
      options.signal?.addEventListener('abort', stop, { once: true });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (options.signal?.aborted) return { ok: false, message: cancelledMessage(url, options) };
          if (done) break;
          length += value.length;
          if (length > options.maxBytes) {
            await reader.cancel().catch(() => undefined);
            return { ok: false, message: capitalize(tooBig) };
          }
          parts.push(value);
        }
      } finally {
        options.signal?.removeEventListener('abort', stop);
      }
    }
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || options.signal?.aborted)
      return { ok: false, message: describeFailure(error, url, options) };
    return {
      ok: false,
      message: `The download of ${options.what} from ${url.host} was cut off after ${length.toLocaleString('en')} bytes; it will be retried.`,
    };
  }
  if (Number.isFinite(declared) && declared > 0 && length < declared) {
    return {
      ok: false,
      message: `The download of ${options.what} from ${url.host} was cut off (${length} of ${declared} bytes); it will be retried.`,
    };
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { ok: true, value: { status: response.status, bytes, ...meta } };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
