/**
 * The browsers the browser tests and the demo drive, found the same way everywhere: the path in
 * CHROMIUM_PATH / FIREFOX_PATH when set, else the Debian command on PATH (`chromium`, `firefox-esr`).
 * `ensureBrowsers` runs before `npm test` and `npm run demo` (package.json `pretest`, `predemo`), in
 * the spirit of Playwright's `install --with-deps`: a missing browser is installed with apt-get when
 * the user is root on a machine with apt, saying so in one line; otherwise it stops, before any test
 * runs, with one line naming the exact command. Node only; no extension code.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface BrowserNeed {
  /** Human name, for messages. */
  name: string;
  /** The environment variable that names its executable. */
  env: 'CHROMIUM_PATH' | 'FIREFOX_PATH';
  /** Commands looked up on PATH, in order. */
  commands: string[];
  /** The Debian package that provides it. */
  aptPackage: string;
}

export const CHROMIUM_NEED: BrowserNeed = {
  name: 'Chromium',
  env: 'CHROMIUM_PATH',
  commands: ['chromium'],
  aptPackage: 'chromium',
};

export const FIREFOX_NEED: BrowserNeed = {
  name: 'Firefox ESR',
  env: 'FIREFOX_PATH',
  commands: ['firefox-esr'],
  aptPackage: 'firefox-esr',
};

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `command` on `PATH` that is an executable file. */
export function onPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

export type Lookup =
  | { found: true; path: string }
  /** `fromEnv`: the environment variable names a path that is no executable. */
  | { found: false; fromEnv?: string };

export function findBrowser(need: BrowserNeed, env: NodeJS.ProcessEnv = process.env): Lookup {
  const named = env[need.env];
  if (named) return isExecutableFile(named) ? { found: true, path: named } : { found: false, fromEnv: named };
  for (const command of need.commands) {
    const path = onPath(command, env.PATH);
    if (path) return { found: true, path };
  }
  return { found: false };
}

/** The executable of a browser: what `findBrowser` finds, else the Debian path (for its error message). */
export function browserPath(need: BrowserNeed, debianPath: string): string {
  const lookup = findBrowser(need);
  return lookup.found ? lookup.path : (lookup.fromEnv ?? debianPath);
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  isRoot?: boolean;
  log?: (line: string) => void;
  /** Runs a command; returns its exit status and output (tests replace it). */
  run?: (command: string, args: string[]) => { status: number | null; output: string };
}

function runCommand(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
  };
}

function names(needs: BrowserNeed[]): string {
  return needs.map((need) => need.name).join(' and ');
}

/**
 * Makes sure every browser in `needs` is there; returns true when they all are (perhaps after
 * installing them), false after logging the one line that says what to do.
 */
export function ensureBrowsers(needs: BrowserNeed[], options: EnsureOptions = {}): boolean {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const run = options.run ?? runCommand;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;

  const badEnv = needs.find((need) => {
    const lookup = findBrowser(need, env);
    return !lookup.found && lookup.fromEnv !== undefined;
  });
  if (badEnv) {
    log(
      `context-lens: ${badEnv.env}=${env[badEnv.env]} is not an executable ${badEnv.name}: point it at one, or unset it to use \`${badEnv.commands[0]}\` from PATH.`,
    );
    return false;
  }
  const missing = needs.filter((need) => !findBrowser(need, env).found);
  if (missing.length === 0) return true;

  const packages = missing.map((need) => need.aptPackage);
  const install = `apt-get install -y ${packages.join(' ')}`;
  const apt = onPath('apt-get', env.PATH);
  if (!apt) {
    log(
      `context-lens: ${names(missing)} not found; install ${names(missing)} and set ${missing.map((need) => need.env).join(' and ')} to the executable${missing.length > 1 ? 's' : ''}.`,
    );
    return false;
  }
  if (!isRoot) {
    log(`context-lens: ${names(missing)} not found; run: sudo ${install}`);
    return false;
  }

  log(`context-lens: ${names(missing)} not found; installing with: ${install}`);
  for (const [command, args] of [
    [apt, ['update', '-qq']],
    [apt, ['install', '-y', '-qq', ...packages]],
  ] as const) {
    const result = run(command, [...args]);
    if (result.status !== 0) {
      log(result.output.trim().split('\n').slice(-15).join('\n'));
      log(`context-lens: \`${command} ${args.join(' ')}\` failed (exit ${result.status}); run: ${install}`);
      return false;
    }
  }
  const still = missing.filter((need) => !findBrowser(need, env).found);
  if (still.length > 0) {
    log(`context-lens: ${names(still)} still not found on PATH after installing ${packages.join(' ')}.`);
    return false;
  }
  return true;
}
