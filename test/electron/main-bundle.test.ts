/**
 * The REAL bundled main process (out/electron/main.cjs, as electron-builder packs it) run under plain Node with the
 * `electron` module replaced by recording fakes (fixtures/fake-electron.cjs): the real config loading, safeStorage
 * key, startDesk (store, sync, training simulator), app:// handler serving the real renderer build, IPC through
 * the real dispatcher, and the orderly quit. Runs everywhere — it is how the main process is exercised end to end
 * where the Electron binary cannot be downloaded.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract';
import { sampleRegistrationInput } from '../../domain/fixtures';
import { ensureRendererBuilt } from '../../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildElectron } from '../../scripts/build-electron.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DRIVER = path.join(ROOT, 'test', 'electron', 'fixtures', 'run-main-bundle.cjs');

function runBundle(scenario: 'desk' | 'broken-config', config: unknown) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-main-bundle-'));
  const configFile = path.join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const registration = sampleRegistrationInput();
  const regFile = path.join(dir, 'registration.json');
  writeFileSync(regFile, JSON.stringify(registration));
  const userData = path.join(dir, 'userData');
  const r = spawnSync(process.execPath, [DRIVER, ROOT, scenario, regFile], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NEWBORN_DESK_USER_DATA: userData, NEWBORN_DESK_CONFIG: configFile, NEWBORN_DESK_OVERRIDES: '' },
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the bundle printed no result (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const result = JSON.parse(line.slice(7)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the driver's JSON
  if (result.error) throw new Error(result.error);
  return { result, userData, registration, configFile };
}

describe('the bundled main process (out/electron/main.cjs) under Node with fake Electron objects', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    await buildElectron({});
  }, 300_000);

  it('starts the desk, serves the UI from app://, answers KioskApi over IPC, refuses foreign senders, and quits in order', () => {
    const { result, userData, registration } = runBundle('desk', { hospitalCode: 'WZ01', deskId: 'bundle-1' });
    expect(result.loaded).toEqual(['app://desk/index.html']);
    expect(result.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: path.join(ROOT, 'out', 'electron', 'preload.cjs') });
    expect(existsSync(result.webPreferences.preload)).toBe(true);
    expect(result.channels).toBe(METHOD_NAMES.length + 1); // + desk:save-receipt (printing is KioskApi's printReceipt)
    expect(result.permissionDenied).toBe(false);
    expect(result.index).toMatchObject({ status: 200, hasRoot: true });
    expect(result.index.csp).toMatch(/^default-src 'self'; script-src 'self'/);
    expect(result.asset).toBe(200);
    expect(result.traversal).toBe(403);
    expect(result.session).toMatchObject({ ok: true, value: { training: true, deskId: 'bundle-1', signedIn: false } });
    expect(result.foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(result.malformed).toMatchObject({ ok: false, error: { code: 'bad_request', fields: [{ path: 'pin' }] } });
    expect(result.signIn).toMatchObject({ ok: true, value: { signedIn: true } });
    expect(result.submit).toEqual({ ok: true, created: true, requests: 5 });
    expect(result.receipt).toBe('%PDF-');
    expect(result.eventsSent).toBeGreaterThan(0);
    // Sync ran in its own (utility) process from the bundled entry, with no argv and no environment.
    expect(result.syncForks).toEqual([{ file: 'sync-thread.cjs', args: [], env: {} }]);
    // Sent through it (the dependants may still wait for the simulated review's numbers).
    expect(result.queueAfterSync).toBeGreaterThanOrEqual(0);
    expect(result.queueAfterSync).toBeLessThan(5);
    expect(result.channelsAfterQuit).toEqual([]); // every IPC handler removed on the way out
    // The database key only encrypted; the log without the family's personal data.
    expect(existsSync(path.join(userData, 'desk.key.enc'))).toBe(true);
    expect(existsSync(path.join(userData, 'data', 'desk.key'))).toBe(false);
    const log = readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('bundle submitted');
    for (const secret of [registration.mother.docNumber, registration.mother.name, registration.mother.phone, registration.father!.docNumber]) {
      expect(log).not.toContain(secret);
    }
  }, 180_000);

  it('a broken config file: the error screen and nothing else (no IPC, no database, no simulator)', () => {
    const { result, userData } = runBundle('broken-config', { hospitalCode: 'X', kiosk: 'yes', cityApi: { url: 'ftp://x' } });
    expect(result.windows).toBe(1);
    expect(result.webPreferences).not.toHaveProperty('preload');
    const html = decodeURIComponent(result.loaded[0].replace(/^data:text\/html;charset=utf-8,/, ''));
    for (const key of ['hospitalCode', 'kiosk', 'cityApi.url']) expect(html).toContain(`<td class="key">${key}</td>`);
    expect(result.channels).toBe(0);
    expect(existsSync(path.join(userData, 'data'))).toBe(false);
    expect(existsSync(path.join(userData, 'desk.key.enc'))).toBe(false);
  }, 180_000);
});
