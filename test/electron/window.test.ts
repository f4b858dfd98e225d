import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReceiptActions, hasLp, shellPrintPort, windowBackend } from '../../electron/main/print';
import { setupMainLog } from '../../electron/main/log';
import { configureUpdates } from '../../electron/main/updates';
import { createCrashRecovery, createDeskWindow } from '../../electron/main/window';
import { FakeBrowserWindow, fakeUpdater, memoryLog } from './fakes';

describe('renderer crash recovery', () => {
  it('reloads up to the limit within the time window, then gives up; clean exits are ignored', () => {
    let t = 0;
    const r = createCrashRecovery({ limit: 3, windowMs: 60_000, now: () => t });
    expect(r.onGone('clean-exit')).toBe('ignore');
    expect([r.onGone('crashed'), r.onGone('oom'), r.onGone('killed')]).toEqual(['reload', 'reload', 'reload']);
    expect(r.onGone('crashed')).toBe('give-up');
    t = 61_000; // the old crashes are past the window
    expect(r.onGone('crashed')).toBe('reload');
  });

  it('the window reloads after a crash and shows the crash page past the limit', () => {
    FakeBrowserWindow.instances = [];
    const log = memoryLog();
    const win = createDeskWindow({ BrowserWindow: FakeBrowserWindow as never, kiosk: false, devTools: false, log, recovery: { limit: 2, windowMs: 60_000 } });
    const fake = FakeBrowserWindow.instances[0]!;
    const gone = (reason: string) => fake.webContents.emit('render-process-gone', {}, { reason, exitCode: 1 });
    gone('crashed');
    gone('crashed');
    expect(fake.webContents.reloads).toBe(2);
    gone('crashed');
    expect(fake.webContents.reloads).toBe(2);
    expect(decodeURIComponent(fake.loaded.at(-1)!)).toContain('界面多次意外退出');
    expect(log.entries.filter((e) => e.message === 'renderer gone').map((e) => e.meta?.decision)).toEqual(['reload', 'reload', 'give-up']);
    fake.emit('ready-to-show');
    expect(fake.shown).toBe(true);
    expect(win).toBe(fake);
    expect(fake.menuBarVisible).toBe(false);
  });
});

describe('receipt printing backends', () => {
  it('Chromium: a hidden sandboxed window prints silently to the named printer and is destroyed', async () => {
    FakeBrowserWindow.instances = [];
    await windowBackend(FakeBrowserWindow as never)({ file: '/tmp/r.pdf', printer: 'HP', copies: 1, paper: 'A4' });
    const w = FakeBrowserWindow.instances[0]!;
    expect(w.options.show).toBe(false);
    expect(w.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(w.loaded).toEqual(['file:///tmp/r.pdf']);
    expect(w.webContents.printed).toEqual([expect.objectContaining({ silent: true, deviceName: 'HP', copies: 1, pageSize: 'A4' })]);
    expect(w.destroyed).toBe(true);
  });

  it('save: asks where, writes the PDF, and reports a cancel as not saved', async () => {
    const written: Array<[string, string]> = [];
    let answer = { canceled: false, filePath: '/home/clerk/receipt-2026' };
    const actions = createReceiptActions({
      dispatch: async () => ({ ok: true, value: { fileName: '../../evil/receipt.pdf', base64: Buffer.from('%PDF').toString('base64') } }),
      dialog: { showSaveDialog: async (...a: unknown[]) => ((a.at(-1) as { defaultPath: string }).defaultPath === 'receipt.pdf' ? answer : { canceled: true, filePath: '' }) } as never,
      window: () => null,
      log: memoryLog(),
      writeFile: (f, d) => written.push([f, d.toString()]),
    });
    const id = { registrationId: '0192f3a4-7b1c-7d2e-8f90-123456789abc' };
    expect(await actions.saveReceipt(id)).toEqual({ ok: true, value: { saved: true, file: '/home/clerk/receipt-2026.pdf' } });
    expect(written).toEqual([['/home/clerk/receipt-2026.pdf', '%PDF']]);
    answer = { canceled: true, filePath: '' };
    expect(await actions.saveReceipt(id)).toEqual({ ok: true, value: { saved: false, file: null } });
    expect(await actions.saveReceipt({})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('the desk prints through CUPS where lp is, pdf-to-printer on Windows, the silent window only where neither applies', () => {
    const lpIn = (dir: string) => (f: string) => f === path.join(dir, 'lp');
    expect(hasLp({ PATH: ['/opt/x', '/usr/bin'].join(path.delimiter) }, lpIn('/usr/bin'))).toBe(true);
    expect(hasLp({ PATH: '/opt/x' }, lpIn('/usr/bin'))).toBe(false);
    expect(hasLp({}, () => true)).toBe(false);
    const env = { PATH: '/usr/bin' };
    expect(shellPrintPort('linux', FakeBrowserWindow as never, env, lpIn('/usr/bin')).via).toBe('cups');
    expect(shellPrintPort('linux', FakeBrowserWindow as never, env, () => false).via).toBe('electron');
    expect(shellPrintPort('darwin', FakeBrowserWindow as never, env, () => false).via).toBe('electron');
    expect(shellPrintPort('win32', FakeBrowserWindow as never, env, () => false).via).toBe('windows');
  });

  it('the silent-window fallback hands the PDF to the hidden window with the configured printer, paper and copies', async () => {
    FakeBrowserWindow.instances = [];
    const port = shellPrintPort('linux', FakeBrowserWindow as never, { PATH: '' }, () => false);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'desk-print-'));
    expect(await port.submit({ pdf: Buffer.from('%PDF-1.7'), printer: 'Desk-A5', paper: 'A5', copies: 2 })).toEqual({ systemJobId: null });
    const w = FakeBrowserWindow.instances[0]!;
    expect(w.loaded[0]).toMatch(/^file:\/\/.*\/nd-print-[^/]+\/job\.pdf$/);
    expect(w.webContents.printed).toEqual([expect.objectContaining({ silent: true, deviceName: 'Desk-A5', copies: 2, pageSize: 'A5' })]);
    expect(w.destroyed).toBe(true);
    rmSync(tmp, { recursive: true });
  });
});

describe('updates from the internal server', () => {
  it('is off in development and without updates.url', () => {
    const u = fakeUpdater();
    expect(configureUpdates({ updater: u as never, config: { channel: 'latest', url: 'https://u.example/' }, packaged: false, log: memoryLog() }).enabled).toBe(false);
    expect(configureUpdates({ updater: u as never, config: { channel: 'latest' }, packaged: true, log: memoryLog() })).toMatchObject({ enabled: false, reason: expect.stringMatching(/updates\.url/) });
    expect(u.feeds).toEqual([]);
  });
  it('uses the generic provider at updates.url, installs on quit, never downgrades', () => {
    const u = fakeUpdater();
    const intervals: number[] = [];
    const r = configureUpdates({
      updater: u as never,
      config: { channel: 'beta', url: 'https://updates.hospital.invalid/desk/' },
      packaged: true,
      log: memoryLog(),
      platform: 'win32',
      publisherNames: ['Newborn Desk team'],
      setInterval: (_fn, ms) => (intervals.push(ms), {}),
      clearInterval: () => {},
    });
    expect(r.enabled).toBe(true);
    expect(u.feeds).toEqual([{ provider: 'generic', url: 'https://updates.hospital.invalid/desk/', channel: 'beta' }]);
    expect(u).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false, channel: 'beta', checks: 1 });
    expect(intervals).toEqual([4 * 3600 * 1000]);
  });
});

describe('electron-log setup', () => {
  it('writes under the logs folder, rotates into numbered files, and redacts every line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-elog-'));
    const hooks: Array<(m: { data: unknown[] }) => { data: unknown[] }> = [];
    const lines: unknown[][] = [];
    const fake = {
      hooks,
      transports: { file: {} as Record<string, unknown>, console: {} as Record<string, unknown> },
      error: (...a: unknown[]) => lines.push(a),
      warn: (...a: unknown[]) => lines.push(a),
      info: (...a: unknown[]) => lines.push(a),
      debug: (...a: unknown[]) => lines.push(a),
    };
    const logger = setupMainLog(fake as never, { dir, level: 'info', console: false });
    const file = fake.transports.file as { resolvePathFn: () => string; maxSize: number; archiveLogFn: (f: { toString(): string }) => void };
    expect(file.resolvePathFn()).toBe(path.join(dir, 'main.log'));
    expect(file.maxSize).toBe(5 * 1024 * 1024);
    expect(fake.transports.console.level).toBe(false);
    const out = hooks[0]!({ data: ['card 330302199003071234 read', { mother: { name: '王小红', phone: '13812345678' } }] });
    expect(JSON.stringify(out)).not.toMatch(/330302199003071234|王小红|13812345678/);
    logger.info('phone 13812345678');
    expect(lines).toEqual([['phone 138****5678']]);
    writeFileSync(path.join(dir, 'main.log'), 'old');
    file.archiveLogFn({ toString: () => path.join(dir, 'main.log') });
    expect(readdirSync(dir)).toEqual(['main.1.log']);
  });
});
