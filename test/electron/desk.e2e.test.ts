/**
 * The Electron desk end to end with Playwright's `_electron`, against the UNFUSED development binary
 * (node_modules/electron: Playwright attaches through --inspect and --remote-debugging-port, which the packaged,
 * fused build refuses). Each test gets its own user-data folder and IT config file (Actual's e2e habit).
 *
 * Where the Electron binary is absent (it cannot be downloaded on machines without internet access) or there is no
 * display, every test here is reported as skipped and the reason is printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleRegistrationInput } from '../../domain/fixtures';
import { findElectronBinary } from '../../electron/app/electron-binary';
import { ensureRendererBuilt } from '../../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildElectron } from '../../scripts/build-electron.mjs';
import { signIn } from '../e2e/harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const binary = findElectronBinary({ root: ROOT });
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const skipReason = !binary.found ? binary.reason : !hasDisplay ? 'no display on this Linux machine (run the tests under xvfb-run)' : null;
if (skipReason) console.warn(`Electron end-to-end tests skipped: ${skipReason}`);

const launched: ElectronApplication[] = [];

async function launchDesk(config: unknown): Promise<{ app: ElectronApplication; page: Page; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-electron-e2e-'));
  const configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config));
  const args = ['.'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox'); // Chromium refuses root otherwise
  const app = await _electron.launch({
    executablePath: (binary as { path: string }).path,
    args,
    cwd: ROOT,
    env: { ...process.env, NEWBORN_DESK_USER_DATA: path.join(dir, 'userData'), NEWBORN_DESK_CONFIG: configFile, ELECTRON_ENABLE_LOGGING: '1' },
    timeout: 60_000,
  });
  launched.push(app);
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, dir };
}

describe.skipIf(skipReason !== null)('the Electron desk (Playwright _electron)', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    await buildElectron({});
  }, 240_000);

  afterEach(async () => {
    for (const app of launched.splice(0)) await app.close().catch(() => {});
  });

  it('desk flow: the UI from app://desk/, window.kiosk over IPC, sign-in, submit, receipt — and no Node in the page', async () => {
    const { page } = await launchDesk({ hospitalCode: 'WZ01', deskId: 'e2e-1' }); // no cityApi: training mode
    expect(page.url()).toBe('app://desk/index.html');

    const surface = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipcRenderer: 'ipcRenderer' in (window.kiosk ?? {}),
      methods: Object.keys(window.kiosk ?? {}).length,
    }));
    expect(surface).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: false, methods: expect.any(Number) });
    expect(surface.methods).toBeGreaterThan(10);

    const session = await page.evaluate(() => window.kiosk!.getSession({}));
    expect(session).toMatchObject({ ok: true, value: { training: true, deskId: 'e2e-1' } });

    await signIn(page); // through the UI: the renderer runs on the preload's bridge

    const bad = await page.evaluate(() => window.kiosk!.getRegistration({ id: 'not-a-uuid' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    const input = sampleRegistrationInput({ id: '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f81' });
    const submitted = await page.evaluate(
      (registration) => window.kiosk!.submit({ registration, confirmedAt: new Date().toISOString() } as never),
      input as unknown,
    );
    expect(submitted).toMatchObject({ ok: true, value: { created: true } });
    const receipt = (await page.evaluate((id) => window.kiosk!.receiptPdf({ registrationId: id }), input.id)) as { ok: boolean; value: { base64: string } };
    expect(receipt.ok).toBe(true);
    expect(Buffer.from(receipt.value.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  }, 120_000);

  it('blocked navigation: links, window.open, redirects of the page and network requests go nowhere', async () => {
    const { app, page } = await launchDesk({ hospitalCode: 'WZ01', deskId: 'e2e-2' });
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1000);
    expect(page.url()).toBe('app://desk/index.html');
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
    const fetched = await page.evaluate(() =>
      fetch('https://example.com/').then(
        () => 'reached',
        () => 'refused',
      ),
    );
    expect(fetched).toBe('refused');
    const traversal = await page.evaluate(() =>
      fetch('app://desk/..%2f..%2fpackage.json').then(
        (r) => r.status,
        () => 0,
      ),
    );
    expect([0, 403, 404]).toContain(traversal);
    const permission = await page.evaluate(() => Notification.requestPermission());
    expect(permission).not.toBe('granted');
  }, 120_000);

  it('a broken config file opens the error screen listing each bad key, with no API in the page', async () => {
    const { page } = await launchDesk({ hospitalCode: 'nope', idleLockMinutes: 0, kiosk: 'yes' });
    expect(page.url()).toMatch(/^data:text\/html/);
    const text = await page.textContent('body');
    for (const key of ['hospitalCode', 'idleLockMinutes', 'kiosk']) expect(text).toContain(key);
    expect(text).toContain('配置文件有误');
    expect(await page.evaluate(() => typeof window.kiosk)).toBe('undefined');
  }, 120_000);
});
