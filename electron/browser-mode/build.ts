/**
 * Builds the renderer with Vite when the build in `out/renderer` is missing or older than its sources
 * (`renderer/`, `core/`, `domain/`, `vite.config.ts`: scripts/build-lock.mjs). Several processes (parallel test files) may ask at once: a lock
 * directory makes one build and the others wait for it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererIsFresh as rendererSourcesBuilt, withBuildLock } from '../../scripts/build-lock.mjs';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_OUT = path.join(PROJECT_ROOT, 'out', 'renderer');


export function rendererIsFresh(outDir = RENDERER_OUT): boolean {
  return rendererSourcesBuilt(PROJECT_ROOT, outDir);
}

/** Ensures `out/renderer` holds a build of the current sources; returns the folder. */
export async function ensureRendererBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<string> {
  const log = opts.log ?? (() => {});
  if (!opts.force && rendererIsFresh()) return RENDERER_OUT;
  return withBuildLock(path.join(PROJECT_ROOT, 'out', '.renderer-build.lock'), async () => {
    if (!opts.force && rendererIsFresh()) return RENDERER_OUT; // built by whoever held the lock
    log('building the renderer (vite)…');
    const { build } = await import('vite');
    await build({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
    return RENDERER_OUT;
  });
}
