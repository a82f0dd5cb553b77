/**
 * `npm test` and `npm run demo` run this first (package.json `pretest`, `predemo`): the browsers
 * named on the command line (`chromium`, `firefox`) are there, installed now, or the run stops with
 * one line saying what to run. See tests/browsers.ts.
 */
import { CHROMIUM_NEED, ensureBrowsers, FIREFOX_NEED } from './browsers.ts';

const BY_NAME = { chromium: CHROMIUM_NEED, firefox: FIREFOX_NEED } as const;

const needs = process.argv.slice(2).map((name) => {
  const need = BY_NAME[name as keyof typeof BY_NAME];
  if (!need) throw new Error(`unknown browser ${JSON.stringify(name)} (chromium or firefox)`);
  return need;
});
process.exitCode = ensureBrowsers(needs) ? 0 : 1;
