/**
 * The builder's chunk codec for Node (the CLI): node:zlib's gzip, which runs on libuv's threads
 * beside the JS thread, and node:crypto's SHA-256. Same bytes as feed/chunks.ts's WEB_CODEC (both are
 * zlib at its default level; a test holds them equal). Node only: not part of feed/index.ts.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { ChunkCodec } from './chunks';

const gzipAsync = promisify(gzip);

export const NODE_CODEC: ChunkCodec = {
  gzip: async (bytes) => {
    const out = await gzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  sha256Hex: (bytes) => createHash('sha256').update(bytes).digest('hex'),
};
