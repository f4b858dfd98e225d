#!/usr/bin/env node
/**
 * `npm start`: builds what is stale (the renderer with `vite build`; both shells and their worker threads with
 * esbuild, scripts/build-electron.mjs), then launches the Electron desk (out/electron/main.cjs) where the Electron
 * binary exists, and otherwise says so in two lines and starts browser mode from its bundle,
 * `node out/browser/main.cjs` (the same UI and KioskApi on 127.0.0.1; it prints the URL to open). Nothing runs
 * through a TypeScript loader. With no IT config file the desk runs in TRAINING mode (embedded city simulator,
 * simulated reader and scanner).
 *
 *   npm start                          Electron if present, else browser mode
 *   npm start -- --browser             browser mode even where Electron is present
 *   npm start -- --config=<file>       use this IT config file
 *   npm start -- --data=<dir>          keep the desk's data there (default: Electron's user data / ~/.newborn-desk)
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BROWSER_MAIN, buildElectron, ELECTRON_BINARY_FINDER } from './build-electron.mjs';
import { rendererIsFresh } from './build-lock.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);


export function rendererIsStale() {
  return !rendererIsFresh(ROOT);
}

function buildRenderer() {
  if (!rendererIsStale()) return;
  console.log('Building the renderer (vite build)…');
  const r = spawnSync(bin('vite'), ['build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('The renderer build failed (see above).');
    process.exit(r.status ?? 1);
  }
}

function option(args, name) {
  for (let i = 0; i < args.length; i += 1) {
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
    if (args[i] === `--${name}` && args[i + 1] && !args[i + 1].startsWith('--')) return args[i + 1];
  }
  return null;
}

function run(cmd, args, env) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main() {
  const args = process.argv.slice(2);
  const config = option(args, 'config');
  const data = option(args, 'data');
  buildRenderer();
  // One build step for both shells (and the Electron finder below): when a source is newer than out/.
  await buildElectron({});
  const { findElectronBinary } = createRequire(import.meta.url)(ELECTRON_BINARY_FINDER);
  const electron = args.includes('--browser') ? { found: false, reason: 'browser mode was asked for (--browser)' } : findElectronBinary({ root: ROOT });

  if (electron.found) {
    const electronArgs = ['.'];
    if (config) electronArgs.push(`--config=${path.resolve(config)}`);
    // Chromium will not start as root with its sandbox on (containers, CI): development only, said out loud.
    if (typeof process.getuid === 'function' && process.getuid() === 0) {
      console.warn('Running as root: starting Electron with --no-sandbox (development only; never how a desk runs).');
      electronArgs.push('--no-sandbox');
    }
    const env = { ...process.env, ...(data ? { NEWBORN_DESK_USER_DATA: path.resolve(data) } : {}) };
    delete env.ELECTRON_RUN_AS_NODE;
    console.log(`Starting Newborn Desk (Electron ${electron.path})${config ? '' : ' — no config file given: TRAINING mode unless IT’s file is in place'}.`);
    run(electron.path, electronArgs, env);
    return;
  }

  console.log(`Electron is not available here: ${electron.reason.replace(/\.$/, "")}.`);
  console.log('Starting browser mode instead: open the URL printed below in Chromium.');
  const browserArgs = [BROWSER_MAIN];
  if (config) browserArgs.push('--config', path.resolve(config));
  if (data) browserArgs.push('--data', path.resolve(data));
  run(process.execPath, browserArgs, process.env);
}

main().catch((e) => {
  console.error(e?.message ?? e);
  process.exit(1);
});
