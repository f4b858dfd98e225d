/**
 * Browser mode for the tests and tools that start it from the sources: `startBrowserMode` builds what it runs when
 * stale (the renderer into out/renderer with Vite, the sync and city threads into out/sync/thread.cjs and
 * out/city/thread.cjs with esbuild) and starts it (desk-mode.ts). The shipped entry is the bundle
 * out/browser/main.cjs (main.ts), which runs the files built beside it and never builds.
 */
import { buildCityThread, buildSyncThread } from '../../scripts/build-sync-thread.mjs';
import { ensureRendererBuilt } from './build';
import { runBrowserMode, type BrowserMode, type BrowserModeOptions } from './desk-mode';

export { ConfigError, type BrowserMode, type BrowserModeOptions } from './desk-mode';

export async function startBrowserMode(opts: BrowserModeOptions): Promise<BrowserMode> {
  const [staticDir, syncThread, cityThread] = await Promise.all([
    opts.staticDir ?? ensureRendererBuilt({ log: opts.log }),
    buildSyncThread({ log: opts.log }),
    buildCityThread({ log: opts.log }),
  ]);
  return runBrowserMode(opts, { staticDir, syncThread, cityThread });
}
