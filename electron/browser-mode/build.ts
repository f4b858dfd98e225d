/**
 * Builds the renderer with Vite when the build in `out/renderer` is missing or older than its sources
 * (`renderer/`, `core/`, `vite.config.ts`). Several processes (parallel test files) may ask at once: a lock
 * directory makes one build and the others wait for it.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_OUT = path.join(PROJECT_ROOT, 'out', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererIsFresh(outDir = RENDERER_OUT): boolean {
  const index = path.join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(PROJECT_ROOT, 'renderer')),
    newestMtime(path.join(PROJECT_ROOT, 'core')),
    statSync(path.join(PROJECT_ROOT, 'vite.config.ts')).mtimeMs,
  );
  return built >= sources;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ensures `out/renderer` holds a build of the current sources; returns the folder. */
export async function ensureRendererBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const log = opts.log ?? (() => {});
  if (!opts.force && rendererIsFresh()) return RENDERER_OUT;
  const lock = path.join(PROJECT_ROOT, 'out', '.renderer-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 3 minutes is from a crashed build.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() - started > 240_000) throw new Error('Timed out waiting for another renderer build.');
      await sleep(250);
    }
  }
  try {
    if (!opts.force && rendererIsFresh()) return RENDERER_OUT;
    log('building the renderer (vite)…');
    const { build } = await import('vite');
    await build({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    return RENDERER_OUT;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
