/**
 * Fakes of the Electron objects the main process takes as parameters: small, recording, and behaving like the
 * real ones where the code depends on it (events, handlers, destroyed windows). No `electron` import at run time.
 * The window and its webContents are fixtures/fake-window.cjs, which the stand-in `electron` module uses too.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';
import { FakeFrame, FakeWebContents, FakeWindow } from './fixtures/fake-window.cjs';

export { FakeFrame, FakeWebContents };

export class FakeBrowserWindow extends FakeWindow<BrowserWindowConstructorOptions> {
  static instances: FakeBrowserWindow[] = [];
}

export class FakeApp extends EventEmitter {
  quits = 0;
  paths: Record<string, string> = {};
  constructor(
    public userData: string,
    public lock = true,
    public isPackaged = false,
  ) {
    super();
    this.paths.userData = userData;
  }
  requestSingleInstanceLock() {
    return this.lock;
  }
  quit() {
    this.quits += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    return prevented;
  }
  whenReady() {
    return Promise.resolve();
  }
  getPath(name: string) {
    return this.paths[name] ?? this.userData;
  }
  setPath(name: string, value: string) {
    this.paths[name] = value;
  }
}

export class FakeProtocol {
  privileged: unknown[] = [];
  handlers = new Map<string, (req: Request) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (req: Request) => Promise<Response>) {
    this.handlers.set(scheme, handler);
  }
}

export class FakeSession extends EventEmitter {
  permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck: ((...a: unknown[]) => boolean) | null = null;
  devicePermission: ((...a: unknown[]) => boolean) | null = null;
  beforeRequest: { filter: { urls: string[] }; fn: (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void } | null = null;
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, fn: (d: { url: string }, cb: (r: { cancel?: boolean }) => void) => void) => {
      this.beforeRequest = { filter, fn };
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequest']) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheck']) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermission']) {
    this.devicePermission = h;
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** Calls a channel as the renderer would, from a given webContents and frame. */
  invoke(channel: string, from: { sender: { id: number }; senderFrame: FakeFrame | null }, ...args: unknown[]) {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`no handler for ${channel}`);
    return h(from, ...args);
  }
}

/** safeStorage stand-in: reversible, visibly "encrypted", never the clear text on disk. */
export const fakeSafeStorage = {
  available: true,
  isEncryptionAvailable() {
    return this.available;
  },
  encryptString(s: string) {
    return Buffer.concat([Buffer.from('ENC1'), Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)]);
  },
  decryptString(b: Buffer) {
    if (b.subarray(0, 4).toString() !== 'ENC1') throw new Error('cannot decrypt');
    return Buffer.from(b.subarray(4).map((x) => x ^ 0x5a)).toString('utf8');
  },
  getSelectedStorageBackend() {
    return 'gnome_libsecret' as const;
  },
};

export interface LogEntry {
  level: string;
  message: string;
  meta?: Record<string, unknown>;
}
export function memoryLog() {
  const entries: LogEntry[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    entries.push({ level, message, ...(meta ? { meta } : {}) });
  };
  return { entries, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** electron-updater's autoUpdater as the update code sees it: feeds set, checks made, handlers registered. */
export function fakeUpdater() {
  const u = {
    feeds: [] as unknown[],
    checks: 0,
    handlers: {} as Record<string, (...a: unknown[]) => void>,
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    channel: null as string | null,
    setFeedURL(o: unknown) {
      u.feeds.push(o);
    },
    async checkForUpdates() {
      u.checks += 1;
      return null;
    },
    on(e: string, fn: (...a: unknown[]) => void) {
      u.handlers[e] = fn;
      return u;
    },
  };
  return u;
}
