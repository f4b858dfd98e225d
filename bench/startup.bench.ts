/**
 * `startup_signin_ms`: launch → a usable sign-in page, browser mode from its built bundle, as `npm start -- --browser`
 * runs it after the build: `node out/browser/main.cjs --data <dir>` (no config file: training mode), a new process
 * each launch, its data folder on a real disk (`.bench-data/`, not the tmpfs temp folder). The clock starts just
 * before the spawn and stops when, in Debian's Chromium (already running, a fresh page each launch), the sign-in
 * form's staff-id and PIN fields (found by their labels, as a clerk sees them) and its sign-in button are visible
 * and enabled. Cold: a fresh data folder each launch (first start: key, database, migrations) and a fresh browser
 * context (empty HTTP cache); warm: the desk restarted on the same data folder and the page opened in the same
 * browser context as the launch before (a desk's everyday start; one priming launch not counted). The build is
 * excluded (timed separately when it had to run). Also reported: the desk's CPU time (all its threads) to the
 * usable page, and the machine's load average (a shared 2-core machine).
 *
 *   npx tsx bench/startup.bench.ts      (or `npm run bench -- startup`)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import en from '../renderer/locales/en.json' with { type: 'json' };
import zh from '../renderer/locales/zh-CN.json' with { type: 'json' };
import { ensureRendererBuilt } from '../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { BROWSER_MAIN, buildElectron } from '../scripts/build-electron.mjs';
import { chromiumMissing, launchBrowser } from '../test/e2e/harness';
import { percentile, recordResults } from './results';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COLD = Number(process.env.STARTUP_RUNS ?? 7);
const WARM = COLD;

if (chromiumMissing) {
  console.log(`startup bench SKIPPED: ${chromiumMissing}`);
  process.exit(0);
}

const buildStarted = performance.now();
await ensureRendererBuilt();
const built = (await buildElectron({})) as { built: boolean };
const buildMs = performance.now() - buildStarted;
console.log(built.built ? `build (renderer checked, shells built): ${buildMs.toFixed(0)} ms — not counted` : 'build: up to date');

const exact = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const either = (a: string, b: string) => new RegExp(`${exact(a).source}|${exact(b).source}`);
const STAFF = either(zh.signIn.staffId, en.signIn.staffId);
const PIN = either(zh.signIn.pin, en.signIn.pin);
const SUBMIT = either(zh.signIn.submit, en.signIn.submit);

function launchDesk(dataDir: string): { child: ChildProcess; url: Promise<{ url: string; atMs: number }> } {
  const child = spawn(process.execPath, [BROWSER_MAIN, '--data', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const started = performance.now();
  const url = new Promise<{ url: string; atMs: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) resolve({ url: m[1]!, atMs: performance.now() - started });
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => reject(new Error(`the desk exited (${code}):\n${out}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function usable(page: Page): Promise<void> {
  const fields = [page.getByLabel(STAFF), page.getByLabel(PIN), page.getByRole('button', { name: SUBMIT })];
  for (const f of fields) await f.waitFor({ state: 'visible', timeout: 30_000 });
  for (;;) {
    const enabled = await Promise.all(fields.map((f) => f.isEnabled()));
    if (enabled.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The desk process's CPU time so far (all its threads: main, sync, training city), from /proc (Linux). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

/** One launch: spawn → URL printed → page usable; the desk is stopped afterwards. */
async function launch(browser: Browser, dataDir: string, keptContext?: BrowserContext): Promise<Run & { training: boolean }> {
  const context = keptContext ?? (await browser.newContext());
  const page = await context.newPage();
  const t0 = performance.now();
  const desk = launchDesk(dataDir);
  try {
    const { url, atMs } = await desk.url;
    await page.goto(url, { waitUntil: 'commit' });
    await usable(page);
    const signinMs = performance.now() - t0;
    const deskCpuMs = cpuMs(desk.child.pid!);
    const training = (await page.locator('body').innerText()).includes('trainer');
    return { urlMs: atMs, signinMs, deskCpuMs, training };
  } finally {
    if (keptContext) await page.close();
    else await context.close();
    await stop(desk.child);
  }
}

const base = path.join(ROOT, '.bench-data', `startup-${process.pid}`);
mkdirSync(base, { recursive: true });
const browser = await launchBrowser();
interface Run {
  urlMs: number;
  signinMs: number;
  /** The desk's CPU (all threads) from spawn to the usable sign-in. */
  deskCpuMs: number;
}
const cold: Run[] = [];
const warm: Run[] = [];
try {
  for (let i = 0; i < COLD; i += 1) {
    const r = await launch(browser, path.join(base, `cold-${i}`));
    if (!r.training) throw new Error('the desk did not start in training mode (an IT config file on this machine?)');
    cold.push(r);
    console.log(`cold ${i + 1}: URL printed ${r.urlMs.toFixed(0)} ms, sign-in usable ${r.signinMs.toFixed(0)} ms (desk CPU ${r.deskCpuMs.toFixed(0)} ms)`);
  }
  // Warm: the desk restarted on its data folder, the page opened in the same browser profile as before (its HTTP
  // cache holds the hashed assets); one priming launch first, not counted.
  const warmDir = path.join(base, 'cold-0');
  const kept = await browser.newContext();
  await launch(browser, warmDir, kept);
  for (let i = 0; i < WARM; i += 1) {
    const r = await launch(browser, warmDir, kept);
    warm.push(r);
    console.log(`warm ${i + 1}: URL printed ${r.urlMs.toFixed(0)} ms, sign-in usable ${r.signinMs.toFixed(0)} ms (desk CPU ${r.deskCpuMs.toFixed(0)} ms)`);
  }
} finally {
  await browser.close();
  rmSync(base, { recursive: true, force: true });
}

const p = (xs: Run[], k: keyof Run, q: number) => percentile(xs.map((x) => x[k]), q);
const figures = {
  /** The goal's figure (≤ 1,500): cold launches' median. */
  startup_signin_ms: p(cold, 'signinMs', 50),
  startup_signin_cold_max_ms: p(cold, 'signinMs', 100),
  startup_signin_warm_p50_ms: p(warm, 'signinMs', 50),
  startup_signin_warm_max_ms: p(warm, 'signinMs', 100),
  startup_url_printed_cold_p50_ms: p(cold, 'urlMs', 50),
  startup_url_printed_warm_p50_ms: p(warm, 'urlMs', 50),
  startup_desk_cpu_cold_p50_ms: p(cold, 'deskCpuMs', 50),
  startup_desk_cpu_warm_p50_ms: p(warm, 'deskCpuMs', 50),
  /** The machine's load while it ran (1-minute load average; this is a shared 2-core machine). */
  startup_loadavg: os.loadavg()[0]!,
};
for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(34)} ${v.toFixed(1)}`);
recordResults(figures);
