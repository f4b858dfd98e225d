/**
 * Issue 12, "Browser mode: after the desk process restarts ...": the desk runs as its own process
 * (`node out/browser/main.cjs`, the bundle `npm start` runs); the page is open and signed in; the process is stopped
 * and started again. The indicator does not stay green while the desk is gone, a lazy screen asked for meanwhile
 * does not leave a blank page, the second run prints the same URL (port and token kept in the data folder, 0600),
 * and the page works again (sign-in screen, then the lazy screen) without the clerk reloading or retyping a URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ensureRendererBuilt, PROJECT_ROOT } from '../../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { BROWSER_MAIN, buildElectron } from '../../scripts/build-electron.mjs';
import { SESSION_FILE } from '../../electron/browser-mode/session';
import { chromiumMissing, launchBrowser, screenshot, signIn } from './harness';

if (chromiumMissing) console.log(`e2e desk restart skipped: ${chromiumMissing}`);

function startDeskProcess(dataDir: string, configFile: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BROWSER_MAIN as string, '--data', dataDir, '--config', configFile, '--training'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DESK_PORT: '' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the desk did not print its URL:\n${out}`)), 90_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => reject(new Error(`the desk exited (${code}):\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!!chromiumMissing)('browser mode across a desk restart', () => {
  let browser: Browser | null = null;
  let child: ChildProcess | null = null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'desk-e2e-restart-'));
  beforeAll(async () => {
    await ensureRendererBuilt();
    await buildElectron({});
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (child) await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Browser mode: after the desk process restarts, the page reconnects by itself (same port and token), the indicator is not green meanwhile, and a lazy screen reloads instead of a blank page', async () => {
    const configFile = path.join(dataDir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ hospitalCode: 'WZ01', deskId: 'e2e-restart', idleLockMinutes: 30, sync: { intervalSec: 5 } }));
    const first = await startDeskProcess(dataDir, configFile);
    child = first.child;
    expect(statSync(path.join(dataDir, SESSION_FILE)).mode & 0o777).toBe(0o600);

    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.goto(first.url);
    await signIn(page);
    const indicator = page.getByRole('group', { name: '同步状态' });
    await expect.poll(() => indicator.getAttribute('data-state'), { timeout: 20_000 }).toBe('online');

    // The desk process stops.
    await stop(child);
    child = null;
    await expect.poll(() => indicator.getAttribute('data-state'), { timeout: 10_000 }).toBe('desk_gone');
    expect(await indicator.getAttribute('data-online')).toBe('false');
    expect(await indicator.innerText()).toContain('本机服务无响应');
    await screenshot(page, 'sync-desk-gone', 'zh-CN', false);
    await page.keyboard.press('Alt+E');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expect.poll(() => page.getByRole('group', { name: 'Sync status' }).innerText()).toContain('Desk service not answering');
    await screenshot(page, 'sync-desk-gone', 'en', false);
    await page.keyboard.press('Alt+E');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // Meanwhile the clerk opens a lazy screen (its chunk cannot be loaded now).
    await page.keyboard.press('F2');

    const second = await startDeskProcess(dataDir, configFile);
    child = second.child;
    expect(second.url).toBe(first.url);

    // Nobody touches the page: it comes back to the desk's sign-in (a restart signs everybody out).
    await page.locator('#signin-staff').waitFor({ timeout: 30_000 });
    // The lazy screen's chunk failed while the desk was down: the page waited for the desk and reloaded once.
    await expect.poll(() => loads, { timeout: 15_000 }).toBe(2);
    await signIn(page);
    await page.keyboard.press('F2');
    await page.getByRole('heading', { level: 1, name: /登记查询/ }).waitFor({ timeout: 15_000 });
    await expect.poll(() => indicator.getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
    expect(errors).toEqual([]);
  }, 240_000);
});
