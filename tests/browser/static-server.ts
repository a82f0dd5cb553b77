/**
 * A static file server on 127.0.0.1 for browser tests and benchmarks: ETags and 304s, CORS headers
 * like GitHub Pages sends (so the extension's fetch works without a host permission grant), a
 * request log, and the bytes it sent. Serves only what was published to it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

function hash(bytes: Buffer): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i += 97) h = (h * 31 + (bytes[i] as number)) | 0;
  return h >>> 0;
}

export class StaticServer {
  readonly files = new Map<string, Buffer>();
  readonly log: { path: string; status: number }[] = [];
  /** Body bytes sent so far. */
  sent = 0;
  private server: Server | undefined;
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Access-Control-Allow-Headers', 'If-None-Match, If-Modified-Since');
      res.setHeader('Access-Control-Expose-Headers', 'ETag, Last-Modified, Content-Length');
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      const body = this.files.get(path);
      if (!body) {
        this.log.push({ path, status: 404 });
        res.writeHead(404).end('not found');
        return;
      }
      const etag = `"${body.length}-${body.subarray(0, 64).toString('base64url').slice(-12)}-${hash(body)}"`;
      if (req.headers['if-none-match'] === etag) {
        this.log.push({ path, status: 304 });
        res.writeHead(304, { ETag: etag }).end();
        return;
      }
      this.log.push({ path, status: 200 });
      this.sent += body.length;
      res.writeHead(200, { ETag: etag, 'Content-Type': 'application/json', 'Content-Length': body.length });
      res.end(body);
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Serves each file under `dir` (a path prefix such as `/feed/`); a later copy replaces one. */
  publish(dir: string, files: Map<string, Uint8Array>): void {
    for (const [path, bytes] of files) this.files.set(`${dir}${path}`, Buffer.from(bytes));
  }

  /** Stops serving everything under `dir`. */
  unpublish(dir: string): void {
    for (const path of [...this.files.keys()]) if (path.startsWith(dir)) this.files.delete(path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
