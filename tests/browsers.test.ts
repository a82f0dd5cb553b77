// The bare-machine check that runs before `npm test` and `npm run demo`: found, installed, or one line.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHROMIUM_NEED, ensureBrowsers, FIREFOX_NEED, findBrowser } from './browsers.ts';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A PATH directory holding fake executables with these names. */
function binDir(...commands: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'context-lens-bin-'));
  dirs.push(dir);
  for (const command of commands) {
    writeFileSync(join(dir, command), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, command), 0o755);
  }
  return dir;
}

function lines() {
  const logged: string[] = [];
  return { logged, log: (line: string) => logged.push(line) };
}

describe('findBrowser', () => {
  it('finds the Debian command on PATH, or the executable the variable names', () => {
    const bin = binDir('chromium', 'firefox-esr');
    expect(findBrowser(CHROMIUM_NEED, { PATH: bin })).toEqual({ found: true, path: join(bin, 'chromium') });
    expect(findBrowser(FIREFOX_NEED, { PATH: bin })).toEqual({ found: true, path: join(bin, 'firefox-esr') });
    const other = join(binDir('my-chromium'), 'my-chromium');
    expect(findBrowser(CHROMIUM_NEED, { PATH: '', CHROMIUM_PATH: other })).toEqual({
      found: true,
      path: other,
    });
  });

  it('does not take a directory or a file that cannot run', () => {
    const bin = binDir();
    mkdirSync(join(bin, 'chromium'));
    writeFileSync(join(bin, 'firefox-esr'), 'not a program');
    expect(findBrowser(CHROMIUM_NEED, { PATH: bin }).found).toBe(false);
    expect(findBrowser(FIREFOX_NEED, { PATH: bin }).found).toBe(false);
    expect(findBrowser(CHROMIUM_NEED, { PATH: bin, CHROMIUM_PATH: '/nowhere/chromium' })).toEqual({
      found: false,
      fromEnv: '/nowhere/chromium',
    });
  });
});

describe('ensureBrowsers', () => {
  it('says nothing and runs nothing when both browsers are there', () => {
    const { logged, log } = lines();
    const run = () => {
      throw new Error('nothing to run');
    };
    const env = { PATH: binDir('chromium', 'firefox-esr', 'apt-get') };
    expect(ensureBrowsers([CHROMIUM_NEED, FIREFOX_NEED], { env, isRoot: true, log, run })).toBe(true);
    expect(logged).toEqual([]);
  });

  it('as root with apt, installs what is missing with apt-get, saying so in one line', () => {
    const { logged, log } = lines();
    const bin = binDir('apt-get', 'chromium');
    const ran: string[] = [];
    const run = (command: string, args: string[]) => {
      ran.push([command, ...args].join(' '));
      // The package's install puts the command on PATH.
      if (args[0] === 'install') symlinkSync(join(bin, 'apt-get'), join(bin, 'firefox-esr'));
      return { status: 0, output: '' };
    };
    expect(
      ensureBrowsers([CHROMIUM_NEED, FIREFOX_NEED], { env: { PATH: bin }, isRoot: true, log, run }),
    ).toBe(true);
    expect(logged).toEqual([
      'context-lens: Firefox ESR not found; installing with: apt-get install -y firefox-esr',
    ]);
    expect(ran).toEqual([`${bin}/apt-get update -qq`, `${bin}/apt-get install -y -qq firefox-esr`]);
  });

  it('without root, stops with one line naming the exact command, and installs nothing', () => {
    const { logged, log } = lines();
    const run = () => {
      throw new Error('must not install');
    };
    const env = { PATH: binDir('apt-get') };
    expect(ensureBrowsers([CHROMIUM_NEED, FIREFOX_NEED], { env, isRoot: false, log, run })).toBe(false);
    expect(logged).toEqual([
      'context-lens: Chromium and Firefox ESR not found; run: sudo apt-get install -y chromium firefox-esr',
    ]);
  });

  it('without apt, says what to install and which variable to set', () => {
    const { logged, log } = lines();
    expect(ensureBrowsers([CHROMIUM_NEED], { env: { PATH: binDir() }, isRoot: true, log })).toBe(false);
    expect(logged).toEqual([
      'context-lens: Chromium not found; install Chromium and set CHROMIUM_PATH to the executable.',
    ]);
  });

  it('does not install over a variable that names no executable: it says to fix the variable', () => {
    const { logged, log } = lines();
    const env = { PATH: binDir('apt-get', 'chromium'), CHROMIUM_PATH: '/nowhere/chromium' };
    expect(ensureBrowsers([CHROMIUM_NEED], { env, isRoot: true, log })).toBe(false);
    expect(logged).toEqual([
      'context-lens: CHROMIUM_PATH=/nowhere/chromium is not an executable Chromium: point it at one, or unset it to use `chromium` from PATH.',
    ]);
  });

  it("stops with the command to run when apt-get fails, showing apt-get's last lines", () => {
    const { logged, log } = lines();
    const run = () => ({ status: 100, output: 'E: Unable to locate package chromium\n' });
    const env = { PATH: binDir('apt-get') };
    expect(ensureBrowsers([CHROMIUM_NEED], { env, isRoot: true, log, run })).toBe(false);
    expect(logged.at(-1)).toMatch(/update -qq` failed \(exit 100\); run: apt-get install -y chromium$/);
    expect(logged).toContain('E: Unable to locate package chromium');
  });
});
