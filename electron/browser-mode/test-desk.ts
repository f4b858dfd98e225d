/**
 * For browser mode's own tests: a real training desk in browser mode over a stand-in build folder (one
 * `index.html`), in a temp folder that is removed afterwards. `use()` registers the start and stop steps in the
 * calling test file; `dir` is the temp folder (the build folder is `<dir>/static`, the desk's data `<dir>/data`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startBrowserMode, type BrowserMode } from './index';

export function useBrowserModeDesk(prefix: string, files: Record<string, string> = {}): { readonly mode: BrowserMode; readonly dir: string } {
  let mode: BrowserMode | undefined;
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    const staticDir = path.join(dir, 'static');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>desk</title>');
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    mode = await startBrowserMode({ dataDir: path.join(dir, 'data'), training: true, staticDir, env: {} });
  });
  afterAll(async () => {
    await mode?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get mode() {
      if (!mode) throw new Error('the browser-mode desk is not started yet');
      return mode;
    },
    get dir() {
      return dir;
    },
  };
}
