#!/usr/bin/env node
/**
 * Builds the two shells with esbuild, each beside the worker entries it starts:
 *   electron/main/index.ts    → out/electron/main.cjs     (CJS, Node 22 = Electron 45's)
 *   electron/preload/index.ts → out/electron/preload.cjs  (CJS, one file, so the window keeps `sandbox: true`:
 *                                                          a sandboxed preload may require nothing but `electron`)
 *   core/sync/thread-entry.ts → out/electron/sync-thread.cjs, out/browser/sync-thread.bundle.cjs
 *   city-api/thread-entry.ts  → out/electron/city-thread.cjs, out/browser/city-thread.bundle.cjs
 *   electron/browser-mode/main.ts → out/browser/main.bundle.cjs  (browser mode)
 *   electron/app/electron-binary.ts → out/start/electron-binary.cjs (scripts/start.mjs: Electron or browser mode)
 * and browser mode's three launchers, out/browser/{main,sync-thread,city-thread}.cjs: each runs its `.bundle.cjs`
 * through V8's code cache (electron/browser-mode/code-cache.ts). `npm start` runs `node out/browser/main.cjs`.
 * Only out/electron/ is packed into the installers (electron-builder.yml); out/browser/ and out/start/ serve
 * `npm start` on a development or training machine.
 * External: `electron`, the native modules (rebuilt for Electron and unpacked from asar by electron-builder), and
 * the packages that read their own files at run time (pdfkit's font metrics, the receipt font). Everything else,
 * our code included, is bundled.
 *
 *   node scripts/build-electron.mjs            build when a source is newer than the output
 *   node scripts/build-electron.mjs --force    always build
 *   node scripts/build-electron.mjs --check    exit 1 when the output is stale (builds nothing)
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, withBuildLock } from './build-lock.mjs';
import { cityThreadBuildOptions, syncThreadBuildOptions } from './build-sync-thread.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(ROOT, 'out', 'electron');
export const BROWSER_OUT_DIR = path.join(ROOT, 'out', 'browser');
export const START_OUT_DIR = path.join(ROOT, 'out', 'start');
/** What `npm start` runs for browser mode. */
export const BROWSER_MAIN = path.join(BROWSER_OUT_DIR, 'main.cjs');
/** Electron's executable finder, built for scripts/start.mjs (no TypeScript loader at run time). */
export const ELECTRON_BINARY_FINDER = path.join(START_OUT_DIR, 'electron-binary.cjs');
export const NATIVE_MODULES = ['better-sqlite3-multiple-ciphers', 'usb', 'serialport', '@serialport/bindings-cpp', 'node-hid'];
// pdf-to-printer stays a module of its own: it finds its SumatraPDF.exe next to its own file (unpacked from asar).
export const MAIN_EXTERNALS = ['electron', ...NATIVE_MODULES, 'pdfkit', '@expo-google-fonts/noto-sans-sc', 'pdf-to-printer'];
// Browser mode runs from the checkout's node_modules: the receipt's font and QR stacks (fontkit with brotli, qrcode:
// 2 MB of the bundle) stay modules of their own, so the start does not compile them; the receipt loads them on first use.
export const BROWSER_EXTERNALS = [...MAIN_EXTERNALS, 'fontkit', 'qrcode'];

const SOURCE_DIRS = ['electron', 'domain', 'core', 'db', 'hardware', 'city-api'];


/** Browser mode's launchers (what is started) and the bundles they run, in out/browser/. */
const BROWSER_ENTRIES = ['main', 'sync-thread', 'city-thread'];
const OUTPUTS = [
  ...['main.cjs', 'preload.cjs', 'sync-thread.cjs', 'city-thread.cjs'].map((f) => path.join(OUT_DIR, f)),
  ...BROWSER_ENTRIES.flatMap((e) => [`${e}.cjs`, `${e}.bundle.cjs`]).map((f) => path.join(BROWSER_OUT_DIR, f)),
  ELECTRON_BINARY_FINDER,
];

export function electronBuildIsFresh() {
  const outs = OUTPUTS;
  if (!outs.every((f) => existsSync(f))) return false;
  const built = Math.min(...outs.map((f) => statSync(f).mtimeMs));
  // The build scripts count as sources too: a changed option rebuilds.
  const scripts = ['build-electron.mjs', 'build-sync-thread.mjs'].map((f) => statSync(path.join(ROOT, 'scripts', f)).mtimeMs);
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(ROOT, d))), statSync(path.join(ROOT, 'package.json')).mtimeMs, ...scripts);
  return built >= sources;
}


export async function buildElectron({ force = false, log = console.log } = {}) {
  if (!force && electronBuildIsFresh()) return { built: false };
  return withBuildLock(path.join(ROOT, 'out', '.electron-build.lock'), async () => {
    if (!force && electronBuildIsFresh()) return { built: false }; // built by whoever held the lock
    return build(log);
  });
}

async function build(log) {
  const esbuild = await import('esbuild');
  for (const d of [OUT_DIR, BROWSER_OUT_DIR, START_OUT_DIR]) mkdirSync(d, { recursive: true });
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    format: 'cjs',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    // import.meta.url has no meaning in CJS; modules that read it fall back to __filename (see core/receipt/fonts.ts).
    logOverride: { 'empty-import-meta': 'silent' },
  };
  const started = Date.now();
  const bundle = (entry) => path.join(BROWSER_OUT_DIR, `${entry}.bundle.cjs`);
  for (const e of BROWSER_ENTRIES) rmSync(`${bundle(e)}.v8cache`, { force: true });
  const [, , main, preload, browser] = await Promise.all([
    // The sync engine's own utility process (electron/main/sync-host.ts) and the training city's worker thread.
    esbuild.build({ ...syncThreadBuildOptions(path.join(OUT_DIR, 'sync-thread.cjs')), external: MAIN_EXTERNALS }),
    esbuild.build({ ...cityThreadBuildOptions(path.join(OUT_DIR, 'city-thread.cjs')), external: MAIN_EXTERNALS }),
    esbuild.build({
      ...common,
      entryPoints: ['electron/main/index.ts'],
      outfile: path.join(OUT_DIR, 'main.cjs'),
      platform: 'node',
      target: 'node22',
      external: MAIN_EXTERNALS,
      metafile: true,
    }),
    esbuild.build({
      ...common,
      entryPoints: ['electron/preload/index.ts'],
      outfile: path.join(OUT_DIR, 'preload.cjs'),
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
      minify: true,
      metafile: true,
    }),
    // Browser mode: the same shell code under plain Node, its own threads beside it (it finds them by __dirname).
    esbuild.build({
      ...common,
      entryPoints: ['electron/browser-mode/main.ts'],
      outfile: bundle('main'),
      platform: 'node',
      target: 'node20',
      external: BROWSER_EXTERNALS,
      // import('usb') and the other lazily loaded packages become require(): a CommonJS package imported through
      // Node's ESM loader is first scanned for its exports (about 100 ms of the start for the three device buses).
      supported: { 'dynamic-import': false },
      metafile: true,
    }),
    esbuild.build({ ...syncThreadBuildOptions(bundle('sync-thread')), target: 'node20', external: MAIN_EXTERNALS, supported: { 'dynamic-import': false } }),
    esbuild.build({ ...cityThreadBuildOptions(bundle('city-thread')), target: 'node20', external: MAIN_EXTERNALS, supported: { 'dynamic-import': false } }),
    ...BROWSER_ENTRIES.map((e) =>
      esbuild.build({
        ...common,
        stdin: {
          contents: `import { runWithCodeCache } from './electron/browser-mode/code-cache';\nrunWithCodeCache(require('node:path').join(__dirname, '${e}.bundle.cjs'));\n`,
          resolveDir: ROOT,
          sourcefile: `launch-${e}.ts`,
          loader: 'ts',
        },
        outfile: path.join(BROWSER_OUT_DIR, `${e}.cjs`),
        platform: 'node',
        target: 'node20',
      }),
    ),
    esbuild.build({ ...common, entryPoints: ['electron/app/electron-binary.ts'], outfile: ELECTRON_BINARY_FINDER, platform: 'node', target: 'node20' }),
  ]);
  // Browser mode runs under plain Node: never Electron, never a build tool at run time.
  const browserImports = Object.values(browser.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const tools = browserImports.filter((p) => /^(electron|vite|esbuild|tsx)(\/|$)/.test(p));
  if (tools.length) throw new Error(`browser mode's bundle would require ${tools.join(', ')} at run time`);
  // The preload must need nothing but `electron` at run time (sandbox).
  const preloadImports = Object.values(preload.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path));
  const foreign = preloadImports.filter((p) => p !== 'electron');
  if (foreign.length) throw new Error(`the preload would require ${foreign.join(', ')} at run time: a sandboxed preload may require only electron`);
  for (const d of [OUT_DIR, BROWSER_OUT_DIR, START_OUT_DIR]) writeFileSync(path.join(d, 'package.json'), '{ "type": "commonjs" }\n');
  const size = (f) => `${(statSync(path.join(OUT_DIR, f)).size / 1024).toFixed(0)} KiB`;
  const browserKib = `${(statSync(bundle('main')).size / 1024).toFixed(0)} KiB`;
  log(`built out/electron/main.cjs (${size('main.cjs')}), preload.cjs (${size('preload.cjs')}) and out/browser/main.bundle.cjs (${browserKib}) in ${Date.now() - started} ms`);
  return { built: true, main: main.metafile, preload: preload.metafile, browser: browser.metafile };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  if (process.argv.includes('--check')) {
    const fresh = electronBuildIsFresh();
    console.log(fresh ? 'out/electron is up to date' : 'out/electron is stale');
    process.exit(fresh ? 0 : 1);
  }
  buildElectron({ force: process.argv.includes('--force') }).then(
    (r) => r.built || console.log('out/electron is up to date'),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
