/**
 * gzip for chunk files (format context-lens/2): CompressionStream and DecompressionStream, which
 * Node 20, Chrome and Firefox all have, so the builder and the extension's service worker share it.
 * Decoding stops at a byte cap, so a small hostile file cannot expand into unbounded memory.
 */

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return (await collect(
    streamOf(bytes).pipeThrough(
      new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
    ),
    Number.MAX_SAFE_INTEGER,
  )) as Uint8Array;
}

/** The decoded bytes; `too-big` past `maxBytes`; `invalid` when the bytes are not gzip. */
export async function gunzip(
  bytes: Uint8Array,
  maxBytes: number,
): Promise<{ ok: true; value: Uint8Array } | { ok: false; reason: 'too-big' | 'invalid' }> {
  try {
    const out = await collect(
      streamOf(bytes).pipeThrough(
        new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>,
      ),
      maxBytes,
    );
    return out ? { ok: true, value: out } : { ok: false, reason: 'too-big' };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}
