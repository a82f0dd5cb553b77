/**
 * `serve <dir> [--port N]`: a static file server for trying a feed locally before publishing it.
 * Listens on 127.0.0.1 only, answers GET/HEAD with content types, ETag and Last-Modified (304 on
 * If-None-Match / If-Modified-Since). Serves only what a feed consists of (feed.json and
 * chunks/<sha256>.json: never a key file, a source or a dotfile lying in the folder), never a file
 * outside <dir>, and only to requests addressed to a loopback name (127.0.0.1, localhost, [::1]),
 * so a web page that rebinds its own DNS name to 127.0.0.1 is answered with nothing. Sends no CORS
 * header: the extension reads the feed with the host permission the reader grants, and the CLI
 * needs none, so no other web page may read a draft feed. Not a production host.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CHUNK_PATH_PATTERN } from '../../feed/index';
import type { Command } from '../command';
import { integerOption, say, warn } from '../command';
import { CliError, errorMessage } from '../errors';

const DEFAULT_PORT = 8787;

/** The files a published feed consists of, by request path: its manifest and its chunks. */
export function isFeedFilePath(urlPath: string): boolean {
  return urlPath === '/' || urlPath === '/feed.json' || CHUNK_PATH_PATTERN.test(urlPath.slice(1));
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True when a request's Host header names this server by a loopback name (and its port, when
 * given). Anything else is a page that pointed its own name at 127.0.0.1 (DNS rebinding).
 */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.toLowerCase());
  if (!match) return false;
  const [, name, portText] = match;
  return LOOPBACK_NAMES.has(name ?? '') && (portText === undefined || Number(portText) === port);
}

/** The file a request path names inside root, or null when it is outside root or not a plain path. */
export async function resolveInside(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..')) return null;
  const candidate = resolve(root, `.${decoded.endsWith('/') ? `${decoded}feed.json` : decoded}`);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return candidate.startsWith(root + sep) ? candidate : null;
  }
  // A symlink inside root that points outside it is refused too.
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return real;
}

function notModified(request: IncomingMessage, etag: string, mtime: Date): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(etag);
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds.
    return !Number.isNaN(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

async function handle(
  root: string,
  port: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!isLoopbackHost(request.headers.host, port)) {
    send(response, 421, `This test server answers only http://127.0.0.1:${port}/`);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'Method not allowed');
    return;
  }
  const urlPath = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
  // Anything else in the folder (the key file, the source, dotfiles) is as absent as a missing file.
  if (!isFeedFilePath(urlPath)) {
    send(response, 404, 'Not found');
    return;
  }
  const file = await resolveInside(root, urlPath);
  if (file === null) {
    send(response, 403, 'Forbidden');
    return;
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    send(response, 404, 'Not found');
    return;
  }
  if (!info.isFile()) {
    send(response, 404, 'Not found');
    return;
  }
  const body = await readFile(file);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
    // Chunks are named by their hash and never change; feed.json must be revalidated.
    'Cache-Control': file.includes(`${sep}chunks${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  };
  if (notModified(request, etag, info.mtime)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  headers['Content-Length'] = String(body.byteLength);
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve a feed folder on http://127.0.0.1 for local testing',
  usage: '<dir> [--port N]',
  details: [
    "Serves <dir>'s feed.json and chunks/<sha256>.json (nothing else in the folder) on 127.0.0.1",
    'only, to requests addressed to 127.0.0.1, localhost or [::1], with ETag / Last-Modified and',
    '304 answers, and prints the feed URL to subscribe to in the extension. Stops on Ctrl-C.',
    `--port 0 picks a free port. Default port: ${DEFAULT_PORT}.`,
  ].join('\n'),
  positionals: ['<dir>'],
  options: {
    port: {
      type: 'string',
      short: 'p',
      value: '<N>',
      description: `Port to listen on (default ${DEFAULT_PORT})`,
    },
  },
  async run([dir], values) {
    if (dir === undefined) throw new CliError('serve: missing <dir>');
    const port = integerOption(values, 'port', 0, 65535) ?? DEFAULT_PORT;
    let root: string;
    try {
      root = await realpath(resolve(dir));
      if (!(await stat(root)).isDirectory()) throw new CliError(`${dir}: not a directory`);
    } catch (error) {
      if (error instanceof CliError) throw error;
      throw new CliError(`${dir}: no such directory`);
    }
    let listening = port;
    const server = createServer((request, response) => {
      handle(root, listening, request, response).catch((error: unknown) => {
        warn(`serve: ${request.url}: ${errorMessage(error)}`);
        if (!response.headersSent) send(response, 500, 'Internal error');
        else response.destroy();
      });
    });
    await new Promise<void>((done, fail) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          new CliError(
            error.code === 'EADDRINUSE'
              ? `port ${port} is in use (try --port 0)`
              : `cannot listen: ${error.message}`,
          ),
        ),
      );
      server.listen(port, '127.0.0.1', () => done());
    });
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    listening = actualPort;
    // Listen for Ctrl-C before announcing the URL, so a stop right after it is never missed.
    const stopped = new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close(() => done());
        server.closeAllConnections();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    say(`Serving ${root}`, `Feed URL: http://127.0.0.1:${actualPort}/feed.json`, 'Press Ctrl-C to stop.');
    await stopped;
    say('Stopped.');
    return 0;
  },
};
