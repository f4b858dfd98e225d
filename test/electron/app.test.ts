import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract';
import { createEventHub } from '../../core/api/events';
import { SealedKeyProvider } from '../../db';
import { filePort, type PrintPort } from '../../core/print';
import { applyDevUserData, runMain, type MainOptions, type StartDeskFn } from '../../electron/main/app';
import { CHANNELS } from '../../electron/main/ipc';
import { APP_INDEX_URL } from '../../electron/main/security';
import { FakeApp, FakeBrowserWindow, FakeFrame, FakeIpcMain, FakeProtocol, FakeSession, fakeSafeStorage, memoryLog } from './fakes';

const fakePrintPort: PrintPort = filePort(async () => {});

function harness(opts: { lock?: boolean; argv?: string[]; env?: NodeJS.ProcessEnv; startDesk?: StartDeskFn; packaged?: boolean } = {}) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'desk-main-'));
  const userData = path.join(base, 'userData');
  const renderer = path.join(base, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>desk</title>');
  // IT's file with nothing set: every key from the built-in defaults (a training desk).
  const emptyConfig = path.join(base, 'empty-config.json');
  writeFileSync(emptyConfig, '{"hospitalCode":"WZ01"}');
  const app = new FakeApp(userData, opts.lock ?? true, opts.packaged ?? false);
  const protocol = new FakeProtocol();
  const session = new FakeSession();
  const ipcMain = new FakeIpcMain();
  const log = memoryLog();
  FakeBrowserWindow.instances = [];
  const started: unknown[] = [];
  const keys: string[] = [];
  let closed = 0;
  const events = createEventHub();
  const startDesk: StartDeskFn =
    opts.startDesk ??
    (async (o) => {
      started.push(o);
      // The shell hands its safeStorage and the sealed key's file; core builds the provider (as startDesk does).
      const provider = o.keyProvider ?? new SealedKeyProvider(o.keyStore!.sealer, o.keyStore!.file, log);
      keys.push((await provider.getKey()).toString('hex'));
      return {
        dispatch: async (method: unknown) => ({ ok: true, value: { method } }),
        events,
        info: { training: true, cityApiUrl: null, dataDir: o.dataDir, version: '0.0.0' },
        close: async () => {
          closed += 1;
        },
      };
    });
  const options: MainOptions = {
    electron: {
      app: app as never,
      BrowserWindow: FakeBrowserWindow as never,
      protocol: protocol as never,
      session: { defaultSession: session as never },
      ipcMain: ipcMain as never,
      safeStorage: fakeSafeStorage,
      dialog: { showSaveDialog: async () => ({ canceled: true, filePath: '' }) } as never,
    },
    startDesk,
    paths: { renderer, preload: path.join(base, 'preload.cjs') },
    argv: opts.argv ?? ['electron', '.'],
    env: opts.env ?? { NEWBORN_DESK_CONFIG: emptyConfig },
    platform: 'linux',
    log,
    printPort: fakePrintPort,
  };
  return { keys, base, userData, app, protocol, session, ipcMain, log, started, events, options, closedCount: () => closed };
}

describe('main process (with fake Electron objects)', () => {
  it('single instance: a second desk hands over and quits before opening anything', async () => {
    const h = harness({ lock: false });
    const handle = await runMain(h.options);
    expect(handle.status).toBe('second-instance');
    expect(h.app.quits).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(h.started).toHaveLength(0);
    expect(h.ipcMain.handlers.size).toBe(0);
  });

  it('the first desk brings its window forward when a second one is started', async () => {
    const h = harness();
    const handle = await runMain({ ...h.options, env: {} , argv: ['electron', '.', `--config=${path.join(h.base, 'none.json')}`] });
    expect(handle.status).toBe('config-error'); // explicit file missing: still a window to focus
    const win = FakeBrowserWindow.instances[0]!;
    win.minimized = true;
    h.app.emit('second-instance', {}, ['electron', '.']);
    expect(win.restored).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('starts the desk: hardened session, app:// handler, IPC for every method, the window on app://desk/', async () => {
    const h = harness();
    const handle = await runMain(h.options);
    expect(handle.status).toBe('running');
    expect(h.protocol.privileged).toHaveLength(1);
    expect(h.protocol.handlers.has('app')).toBe(true);
    expect(h.session.permissionRequest).not.toBeNull();
    expect(h.started).toHaveLength(1);
    expect(h.started[0]).toMatchObject({ dataDir: path.join(h.userData, 'data'), config: { hospitalCode: 'WZ01', cityApi: null } });
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, preload: h.options.paths.preload });
    expect(win.options.kiosk).toBe(false);
    expect(win.loaded).toEqual([APP_INDEX_URL]);
    expect(h.ipcMain.handlers.size).toBe(METHOD_NAMES.length + 1); // + desk:save-receipt
    // The app:// handler serves the renderer build.
    const res = await h.protocol.handlers.get('app')!(new Request(APP_INDEX_URL));
    expect(await res.text()).toContain('<title>desk</title>');
    // A call from the window's page goes through to the desk.
    win.webContents.mainFrame = new FakeFrame(APP_INDEX_URL);
    const r = await h.ipcMain.invoke('kiosk:getSession', { sender: win.webContents, senderFrame: win.webContents.mainFrame }, {});
    expect(r).toEqual({ ok: true, value: { method: 'getSession' } });
    // Every webContents created later is hardened too.
    const other = new FakeBrowserWindow({});
    h.app.emit('web-contents-created', {}, other.webContents);
    expect(other.webContents.openHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
    // The database key is kept only encrypted by safeStorage: 32 bytes, never in clear on disk.
    expect(h.keys[0]).toMatch(/^[0-9a-f]{64}$/);
    const stored = readFileSync(path.join(h.userData, 'desk.key.enc'));
    expect(stored.toString('latin1')).not.toContain(h.keys[0]);
    expect(fakeSafeStorage.decryptString(stored)).toBe(h.keys[0]);
    expect(existsSync(path.join(h.userData, 'desk.key'))).toBe(false);
  });

  it('kiosk mode from the config: a fullscreen kiosk window', async () => {
    const h = harness();
    const file = path.join(h.base, 'config.json');
    writeFileSync(file, JSON.stringify({ hospitalCode: 'WZ03', deskId: 'k1', kiosk: true }));
    const handle = await runMain({ ...h.options, argv: ['electron', '.', `--config=${file}`], env: {} });
    expect(handle.status).toBe('running');
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(h.log.entries.find((e) => e.message === 'configuration loaded')?.meta).toMatchObject({ source: 'machine', locked: ['hospitalCode', 'deskId', 'kiosk'] });
  });

  it('a broken config file opens the error screen listing each bad key — and nothing else runs', async () => {
    const h = harness();
    const file = path.join(h.base, 'config.json');
    writeFileSync(file, JSON.stringify({ hospitalCode: 'Z9', idleLockMinutes: 600, cityApi: { url: 'nope', clientSecret: 'supersecret1' }, kioskMode: true }));
    const handle = await runMain({ ...h.options, env: { NEWBORN_DESK_CONFIG: file } });
    expect(handle.status).toBe('config-error');
    expect(h.started).toHaveLength(0);
    expect(h.ipcMain.handlers.size).toBe(0);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).not.toHaveProperty('preload');
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(win.loaded).toHaveLength(1);
    const html = decodeURIComponent(win.loaded[0]!.replace(/^data:text\/html;charset=utf-8,/, ''));
    for (const key of ['hospitalCode', 'idleLockMinutes', 'cityApi.url', 'kioskMode']) expect(html).toContain(`<td class="key">${key}</td>`);
    expect(html).toContain(file);
    expect(html).not.toContain('supersecret1');
    expect(html).not.toMatch(/<script/i);
    const logged = JSON.stringify(h.log.entries);
    expect(logged).toContain('configuration file has errors');
    expect(logged).not.toContain('supersecret1');
  });

  it('a desk that fails to start shows a static page and registers no IPC', async () => {
    const h = harness({
      startDesk: async () => {
        throw Object.assign(new Error('database key rejected for 330302199003071234'), { name: 'DatabaseKeyError' });
      },
    });
    const handle = await runMain(h.options);
    expect(handle.status).toBe('startup-error');
    expect(h.ipcMain.handlers.size).toBe(0);
    const html = decodeURIComponent(FakeBrowserWindow.instances[0]!.loaded[0]!);
    expect(html).toContain('DatabaseKeyError');
    expect(JSON.stringify(h.log.entries)).not.toContain('330302199003071234');
  });

  it('orderly shutdown: quitting waits for the desk to close (sync stopped, database closed), then quits', async () => {
    const h = harness();
    await runMain(h.options);
    const prevented = h.app.quit();
    expect(prevented).toBe(true); // held until the desk has closed
    await new Promise((r) => setTimeout(r, 20));
    expect(h.closedCount()).toBe(1);
    expect(h.app.quits).toBe(2); // quit again once closed, and this time not held
    expect(h.ipcMain.handlers.size).toBe(0);
  });

  it('the city secret given in clear by IT is stored encrypted per user; IT’s file is never rewritten (issue 13)', async () => {
    const h = harness();
    const file = path.join(h.base, 'config.json');
    writeFileSync(file, JSON.stringify({ hospitalCode: 'WZ05', deskId: 'd1', cityApi: { url: 'https://city.example.invalid/', clientSecret: 'desk-secret-123' } }));
    await runMain({ ...h.options, env: { NEWBORN_DESK_CONFIG: file } });
    expect(h.started[0]).toMatchObject({ cityApiSecret: 'desk-secret-123', configFile: file });
    const enc = readFileSync(path.join(h.userData, 'city-secret.enc'));
    expect(enc.toString('latin1')).not.toContain('desk-secret-123');
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.cityApi).toEqual({ url: 'https://city.example.invalid/', clientSecret: 'desk-secret-123' });
    expect(readFileSync(file, 'utf8')).not.toContain(h.userData);
    // IT removes the clear secret: the next start of this user reads the encrypted copy.
    writeFileSync(file, JSON.stringify({ hospitalCode: 'WZ05', deskId: 'd1', cityApi: { url: 'https://city.example.invalid/' } }));
    const h2 = harness();
    h2.app.paths.userData = h.userData;
    await runMain({ ...h2.options, env: { NEWBORN_DESK_CONFIG: file } });
    expect(h2.started[0]).toMatchObject({ cityApiSecret: 'desk-secret-123' });
  });

  it('NEWBORN_DESK_USER_DATA moves user data in development only', () => {
    const dev = new FakeApp('/u', true, false);
    expect(applyDevUserData(dev as never, { NEWBORN_DESK_USER_DATA: '/tmp/x' })).toBe('/tmp/x');
    expect(dev.paths.userData).toBe('/tmp/x');
    const packaged = new FakeApp('/u', true, true);
    expect(applyDevUserData(packaged as never, { NEWBORN_DESK_USER_DATA: '/tmp/x' })).toBeNull();
    expect(packaged.paths.userData).toBe('/u');
  });

  it('the desk is started with the shell’s print port; there is no shell print channel (printing is KioskApi’s printReceipt)', async () => {
    const h = harness();
    await runMain(h.options);
    expect((h.started[0] as { printPort?: unknown }).printPort).toBe(fakePrintPort);
    expect(h.ipcMain.handlers.has('desk:print-receipt')).toBe(false);
    expect(h.ipcMain.handlers.has(CHANNELS.saveReceipt)).toBe(true);
    expect(h.ipcMain.handlers.has('kiosk:printReceipt')).toBe(true);

    // Without an injected port: Linux with no lp on the PATH falls back to the silent window.
    const bare = harness({ env: { NEWBORN_DESK_CONFIG: h.options.env.NEWBORN_DESK_CONFIG, PATH: '' } });
    delete bare.options.printPort;
    await runMain(bare.options);
    expect((bare.started[0] as { printPort: PrintPort }).printPort.via).toBe('electron');
  });
});
