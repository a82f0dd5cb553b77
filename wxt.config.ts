import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Separate output folders let parallel builds (tests, demo) not trample each other.
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  vite: () => ({
    plugins: [preact()],
    // WXT_NO_MINIFY=1 keeps function names readable in CPU profiles (bench/page/attribute.ts).
    ...(process.env.WXT_NO_MINIFY ? { build: { minify: false } } : {}),
    ...(process.env.WXT_SOURCEMAP ? { build: { sourcemap: true } } : {}),
    resolve: {
      // WXT's content-script context announces itself to the page and stops when the page asks;
      // ours is the same API without either (lens/scriptContext.ts, docs/security.md).
      alias: [
        {
          find: /^wxt\/utils\/content-script-context$/,
          replacement: fileURLToPath(new URL('./lens/scriptContext.ts', import.meta.url)),
        },
      ],
    },
  }),
  hooks: {
    // The content script uses only synchronous extension APIs through `wxt/browser` (runtime.id,
    // i18n.getMessage) and ports, so it takes the browser's own object (`chrome`, or Firefox's
    // `browser`) instead of the webextension polyfill: 10 KB less to load on every page.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.every((entry) => entry.type === 'content-script')) return;
      // Every page loads its content script: terser packs it ~1.3 KB smaller than esbuild
      // (issue 8's 80 KB budget, tests/browser/bundle.spec.ts); three passes, output for ES2020
      // (both browsers' minimum versions run it), nothing unsafe.
      if (config.build?.minify !== false) {
        config.build = {
          ...config.build,
          minify: 'terser',
          terserOptions: { compress: { ecma: 2020, passes: 3 }, format: { ecma: 2020 } },
        };
      }
      config.resolve ??= {};
      const alias = config.resolve.alias;
      const direct = { find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' };
      config.resolve.alias = Array.isArray(alias)
        ? [direct, ...alias]
        : [direct, ...Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement }))];
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'contextMenus', 'scripting', 'activeTab'],
    // Feed hosts and extra Mastodon instances are asked for one origin at a time, never <all_urls>.
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: { id: 'context-lens@context-lens.org', strict_min_version: '128.0' },
          },
        }
      : {}),
  }),
});
