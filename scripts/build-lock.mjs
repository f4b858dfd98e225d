/**
 * Shared by the build steps (renderer via Vite, main/preload via esbuild) and `npm start`: how to tell a build is
 * stale, and one build at a time when several processes (parallel test files) ask at once.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** The newest modification time of the sources below `dir` (tests, dot-folders and node_modules left out). */
export function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!/\.test\.tsx?$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Whether the renderer build under `root/out/renderer` (or `outDir`) is at least as new as its sources: the
 * page's own code, what it imports (`core/`, `domain/`) and the Vite config. One list of sources for every caller.
 */
export function rendererIsFresh(root, outDir = path.join(root, 'out', 'renderer')) {
  const index = path.join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  const sources = Math.max(...['renderer', 'core', 'domain'].map((d) => newestMtime(path.join(root, d))), statSync(path.join(root, 'vite.config.ts')).mtimeMs);
  return statSync(index).mtimeMs >= sources;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` holding the lock folder `lockDir`: the others wait for it. A lock older than 3 minutes is from a
 * crashed build and is taken over; waiting more than 4 minutes is an error.
 */
export async function withBuildLock(lockDir, fn) {
  mkdirSync(path.dirname(lockDir), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 180_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() - started > 240_000) throw new Error(`timed out waiting for another build (${path.basename(lockDir)})`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
