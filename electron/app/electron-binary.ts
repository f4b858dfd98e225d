/**
 * Where the Electron executable is, found the way `node_modules/electron/index.js` finds it — `path.txt`, then
 * `dist/`, or `ELECTRON_OVERRIDE_DIST_PATH` — but WITHOUT its side effect: that module downloads the binary when it
 * is missing, which cannot work on machines without internet access (and must never happen inside a test).
 * Pure Node: no `electron` import. Used by `scripts/start.mjs` (launch or fall back to browser mode) and by the
 * Playwright `_electron` tests (run or skip with the reason).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ElectronBinary =
  | { found: true; path: string; via: 'override' | 'dist' }
  | { found: false; reason: string; tried: string[] };

export interface FindElectronOptions {
  /** The project root (holds node_modules/electron). */
  root: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Injected for tests. */
  exists?: (p: string) => boolean;
  readText?: (p: string) => string;
}

/** The executable's path inside `dist/` for a platform, as electron's install.js writes it to path.txt. */
export function platformExecutable(platform: NodeJS.Platform): string | null {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    case 'win32':
      return 'electron.exe';
    default:
      return null;
  }
}

export function findElectronBinary(opts: FindElectronOptions): ElectronBinary {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? existsSync;
  const readText = opts.readText ?? ((p: string) => readFileSync(p, 'utf8'));
  const pkgDir = path.join(opts.root, 'node_modules', 'electron');
  const tried: string[] = [];

  if (!exists(path.join(pkgDir, 'package.json'))) {
    return { found: false, reason: `the electron package is not installed (${pkgDir})`, tried };
  }
  let relative: string | null = null;
  const pathFile = path.join(pkgDir, 'path.txt');
  if (exists(pathFile)) {
    const text = readText(pathFile).trim();
    // path.txt is written by electron's install.js; refuse anything that would leave the dist folder.
    if (text && !path.isAbsolute(text) && !text.split(/[\\/]/).includes('..')) relative = text;
  }
  relative ??= platformExecutable(platform);
  if (!relative) return { found: false, reason: `Electron has no build for the platform "${platform}"`, tried };

  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const p = path.join(override, relative);
    tried.push(p);
    if (exists(p)) return { found: true, path: p, via: 'override' };
    return { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${p} does not exist`, tried };
  }
  const p = path.join(pkgDir, 'dist', relative);
  tried.push(p);
  if (exists(p)) return { found: true, path: p, via: 'dist' };
  return {
    found: false,
    reason:
      `the Electron binary is not installed (${p} is missing; it is downloaded on first use, which needs internet access). ` +
      'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron 45 build to use one.',
    tried,
  };
}
