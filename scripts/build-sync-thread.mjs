#!/usr/bin/env node
/**
 * Builds the sync thread's entry (core/sync/thread-entry.ts) into one file with esbuild:
 *   → out/sync/thread.cjs   (CJS, Node 22; the native SQLite module stays external)
 * Browser mode and the tests start it as a Node worker thread, the Electron app as a utility process (it is also
 * built by scripts/build-electron.mjs beside main.cjs). Vitest does not transform code inside `new Worker(...)`,
 * so the worker always runs from this build: built on demand when a source is newer than the output.
 *
 *   node scripts/build-sync-thread.mjs           build when stale
 *   node scripts/build-sync-thread.mjs --force   always build
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime, withBuildLock } from './build-lock.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SYNC_THREAD_DIR = path.join(ROOT, 'out', 'sync');
export const SYNC_THREAD_FILE = path.join(SYNC_THREAD_DIR, 'thread.cjs');
const SOURCE_DIRS = ['core', 'db', 'domain', 'city-api/generated'];
const EXTERNALS = ['better-sqlite3-multiple-ciphers', 'electron'];

/** The esbuild options of the thread's bundle (scripts/build-electron.mjs builds the same entry for the app). */
export function syncThreadBuildOptions(outfile = SYNC_THREAD_FILE) {
  return {
    absWorkingDir: ROOT,
    entryPoints: ['core/sync/thread-entry.ts'],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
    external: EXTERNALS,
  };
}

export function syncThreadIsFresh(file = SYNC_THREAD_FILE) {
  if (!existsSync(file)) return false;
  const sources = Math.max(...SOURCE_DIRS.map((d) => newestMtime(path.join(ROOT, d))), statSync(path.join(ROOT, 'package.json')).mtimeMs);
  return statSync(file).mtimeMs >= sources;
}

/** Builds out/sync/thread.cjs when stale; returns its path. */
export async function buildSyncThread({ force = false, log = () => {} } = {}) {
  if (!force && syncThreadIsFresh()) return SYNC_THREAD_FILE;
  return withBuildLock(path.join(ROOT, 'out', '.sync-thread-build.lock'), async () => {
    if (!force && syncThreadIsFresh()) return SYNC_THREAD_FILE;
    const esbuild = await import('esbuild');
    mkdirSync(SYNC_THREAD_DIR, { recursive: true });
    const started = Date.now();
    await esbuild.build(syncThreadBuildOptions());
    writeFileSync(path.join(SYNC_THREAD_DIR, 'package.json'), '{ "type": "commonjs" }\n');
    log(`built out/sync/thread.cjs (${(statSync(SYNC_THREAD_FILE).size / 1024).toFixed(0)} KiB) in ${Date.now() - started} ms`);
    return SYNC_THREAD_FILE;
  });
}

export const CITY_THREAD_FILE = path.join(ROOT, 'out', 'city', 'thread.cjs');

/** The esbuild options of the training city's thread (city-api/thread-entry.ts). */
export function cityThreadBuildOptions(outfile = CITY_THREAD_FILE) {
  return { ...syncThreadBuildOptions(outfile), entryPoints: ['city-api/thread-entry.ts'] };
}

/** Builds out/city/thread.cjs (the training city simulator's worker thread) when stale; returns its path. */
export async function buildCityThread({ force = false, log = () => {} } = {}) {
  const fresh = () => existsSync(CITY_THREAD_FILE) && statSync(CITY_THREAD_FILE).mtimeMs >= Math.max(newestMtime(path.join(ROOT, 'city-api')), newestMtime(path.join(ROOT, 'domain')), statSync(path.join(ROOT, 'package.json')).mtimeMs);
  if (!force && fresh()) return CITY_THREAD_FILE;
  return withBuildLock(path.join(ROOT, 'out', '.city-thread-build.lock'), async () => {
    if (!force && fresh()) return CITY_THREAD_FILE;
    const esbuild = await import('esbuild');
    mkdirSync(path.dirname(CITY_THREAD_FILE), { recursive: true });
    const started = Date.now();
    await esbuild.build(cityThreadBuildOptions());
    writeFileSync(path.join(path.dirname(CITY_THREAD_FILE), 'package.json'), '{ "type": "commonjs" }\n');
    log(`built out/city/thread.cjs in ${Date.now() - started} ms`);
    return CITY_THREAD_FILE;
  });
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const force = process.argv.includes('--force');
  Promise.all([buildSyncThread({ force, log: console.log }), buildCityThread({ force, log: console.log })]).then(
    (f) => console.log(f.join('\n')),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
