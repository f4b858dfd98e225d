/**
 * Issue 14 item 6, "a bundled desk": browser mode starts from its built bundle the way `npm start` runs it, with no
 * TypeScript loader. `npm start -- --browser` (scripts/start.mjs, its build already fresh) runs
 * `node out/browser/main.cjs`; every process and thread of it runs with a guard preloaded (NODE_OPTIONS, inherited
 * by children and worker threads) that refuses to load tsx or any .ts file. The desk answers on loopback: the page,
 * the session (training), and a sync that reached the training city — the sync and city threads ran from
 * out/browser/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { BROWSER_MAIN, buildElectron, electronBuildIsFresh } from '../../scripts/build-electron.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const GUARD = `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (/(^|[\\\\/])tsx([\\\\/]|$)/.test(request) || /\\.(c|m)?tsx?$/.test(request)) throw new Error('no TypeScript at run time: ' + request);
  return load.apply(this, arguments);
};
`;

function waitForUrl(child: ChildProcess, out: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out.text}`)), 90_000);
    child.stdout!.on('data', (b: Buffer) => {
      out.text += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out.text);
      if (m) {
        clearTimeout(timer);
        resolve(`${m[1]}#${m[2]}`);
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out.text += b.toString()));
    child.on('exit', (code) => reject(new Error(`the desk exited (${code}):\n${out.text}`)));
  });
}

describe('npm start -- --browser runs the built bundle, no TypeScript loader', () => {
  let dir = '';
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    await ensureRendererBuilt();
    await buildElectron({});
    dir = mkdtempSync(path.join(os.tmpdir(), 'desk-bundled-start-'));
  }, 300_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts out/browser/main.cjs, serves the page and the KioskApi on loopback, and syncs with the training city from its threads', async () => {
    expect(electronBuildIsFresh()).toBe(true);
    // The guard below sees require(); start.mjs is ESM: it names no TypeScript loader at all.
    expect(readFileSync(path.join(ROOT, 'scripts', 'start.mjs'), 'utf8')).not.toMatch(/\btsx\b|tsImport/);
    for (const f of ['main.cjs', 'main.bundle.cjs', 'sync-thread.cjs', 'sync-thread.bundle.cjs', 'city-thread.cjs', 'city-thread.bundle.cjs']) expect(existsSync(path.join(path.dirname(BROWSER_MAIN), f))).toBe(true);
    const guard = path.join(dir, 'no-typescript.cjs');
    writeFileSync(guard, GUARD);
    const data = path.join(dir, 'data');
    const out = { text: '' };
    // As `npm start -- --browser` runs: no IT config on this machine means training mode.
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs'), '--browser', '--data', data], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: `--require ${guard}`, DESK_PORT: '', NEWBORN_DESK_CONFIG: '' },
    });
    const [origin, token] = (await waitForUrl(child, out)).split('#') as [string, string];
    expect(out.text).toContain('Starting browser mode');
    expect(out.text).not.toMatch(/no TypeScript at run time/);

    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const call = async (method: string, args: unknown = {}) => {
      const res = await fetch(`${origin}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-desk-token': token }, body: JSON.stringify(args) });
      return (await res.json()) as { ok: boolean; value?: Record<string, unknown> };
    };
    const session = await call('getSession');
    expect(session).toMatchObject({ ok: true, value: { training: true, signedIn: false } });
    // The sync thread (out/browser/sync-thread.cjs) reaches the training city (out/browser/city-thread.cjs).
    await expect.poll(() => readFileSync(path.join(data, 'logs', 'desk.log'), 'utf8'), { timeout: 30_000, interval: 200 }).toContain('sync.online');
    const log = readFileSync(path.join(data, 'logs', 'desk.log'), 'utf8');
    expect(log).toContain('training mode: embedded city simulator started');
    expect(log).not.toContain('sync.thread_exited');
  }, 180_000);
});
