/**
 * The CLI's file and network I/O: reading local files with messages that name the file, reading a
 * published feed from a directory or an http(s) URL (with a timeout and a size cap), and writing
 * built feeds. Holds no feed-format logic: what the bytes mean is feed/'s business.
 */

import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { download } from '../net/download';
import { CliError, errorMessage } from './errors';

/** Largest file the CLI fetches from a URL. */
export const MAX_FETCH_BYTES = 32 * 1024 * 1024;
/** How long one fetch may take. */
export const FETCH_TIMEOUT_MS = 20_000;

/** A node:fs error as a short phrase a curator understands. */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EEXIST':
      return 'already exists';
    default:
      return errorMessage(error);
  }
}

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CliError(`${path}: ${describeFsError(error)}`);
  }
}

/**
 * A file read as a stream of pieces (a million-row CSV is never one string); opening it fails with
 * a message naming the file, as readBytes does.
 */
export async function openStream(path: string): Promise<AsyncIterable<Uint8Array>> {
  try {
    const handle = await open(path, 'r');
    if ((await handle.stat()).isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  } catch (error) {
    throw new CliError(`${path}: ${describeFsError(error)}`);
  }
}

/** `path` as one shell word, for a command the user can paste. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * Refuses a private key file that others may read or write, as OpenSSH does: a key readable by
 * other users of the machine (or by any process running as them) is a stolen key. The message
 * gives the one command that fixes it. POSIX modes only; Windows has no such bits.
 */
export async function checkPrivateKeyMode(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch (error) {
    throw new CliError(`${path}: ${describeFsError(error)}`);
  }
  if ((mode & 0o077) === 0) return;
  const shown = mode.toString(8).padStart(4, '0');
  throw new CliError([
    `${path}: permissions ${shown} are too open: this private key file can be read by other users of this machine, so it was not used`,
    `fix it with: chmod 600 ${shellWord(path)}`,
  ]);
}

/** Reads a private key file after checking that only its owner can read it. */
export async function readPrivateKeyText(path: string): Promise<string> {
  await checkPrivateKeyMode(path);
  return readText(path);
}

export async function readText(path: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(path));
}

/** Reads and parses a JSON file; a syntax error names the file. */
export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${errorMessage(error)})`);
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes a file, creating its directory; `mode` applies when the file is created. */
export async function writeOutput(
  path: string,
  data: Uint8Array | string,
  options: { mode?: number; exclusive?: boolean } = {},
): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { mode: options.mode, flag: options.exclusive ? 'wx' : 'w' });
  } catch (error) {
    throw new CliError(`${path}: ${describeFsError(error)}`);
  }
}

/** Where a published feed is read from: its files by their path relative to feed.json. */
export interface FeedLocation {
  /** What the user passed, resolved (a directory or the feed.json URL), for messages. */
  label: string;
  /** The feed.json URL when the feed is read over the web (readers apply the address rule to it). */
  url?: string;
  /** The bytes of `feed.json` or `chunks/<sha256>.json`; null when the file does not exist. */
  read(path: string): Promise<Uint8Array | null>;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** True when the argument is meant as a URL (has a scheme) rather than a local path. */
export function looksLikeUrl(arg: string): boolean {
  return SCHEME.test(arg) && !/^[a-z]:[\\/]/i.test(arg);
}

/** A feed directory (or its feed.json) on disk, or a feed URL (the feed.json or the folder holding it). */
export async function openFeedLocation(arg: string): Promise<FeedLocation> {
  if (looksLikeUrl(arg)) return urlLocation(arg);
  return dirLocation(arg);
}

async function dirLocation(arg: string): Promise<FeedLocation> {
  let root = resolve(arg);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch (error) {
    throw new CliError(`${arg}: ${describeFsError(error)}`);
  }
  if (info.isFile()) root = dirname(root);
  return {
    label: root,
    async read(path) {
      const file = resolve(root, path);
      const rel = relative(root, file);
      // The manifest names chunk paths; a path that leaves the feed's folder is never read.
      if (rel.startsWith('..') || isAbsolute(rel)) return null;
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw new CliError(`${join(arg, path)}: ${describeFsError(error)}`);
      }
    },
  };
}

function urlLocation(arg: string): FeedLocation {
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw new CliError(`${arg}: not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${arg}: only http(s) URLs can be fetched`);
  }
  const feedUrl = url.pathname.endsWith('.json')
    ? url
    : new URL(url.pathname.endsWith('/') ? 'feed.json' : `${url.pathname}/feed.json`, url);
  return {
    label: feedUrl.href,
    url: feedUrl.href,
    read: (path) => fetchCapped(path === 'feed.json' ? feedUrl : new URL(path, feedUrl)),
  };
}

/**
 * GETs a URL with a timeout and a size cap (net/download.ts, as the extension does). Null for
 * 404/410 (the file is missing); any other failure is a CliError naming the URL.
 */
export async function fetchCapped(
  url: URL,
  { timeoutMs = FETCH_TIMEOUT_MS, maxBytes = MAX_FETCH_BYTES } = {},
): Promise<Uint8Array | null> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${url.href}: only http(s) URLs can be fetched`);
  }
  const result = await download(url.href, {
    maxBytes,
    timeoutMs,
    what: 'the file',
    tooBig: `the file is larger than ${maxBytes} bytes`,
  });
  if (result.ok) return result.value.bytes;
  if (result.status === 404 || result.status === 410) return null;
  throw new CliError(`${url.href}: ${result.message}`);
}
