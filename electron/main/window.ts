/**
 * The desk's one window: hardened webPreferences, optional kiosk/fullscreen mode from the config, and recovery
 * when the renderer process dies (`render-process-gone` → reload, at most `limit` times within `windowMs`; past
 * that a static bilingual page says so instead of reloading forever).
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, RenderProcessGoneDetails } from 'electron';
import { escapeHtml } from '../app/config-error';
import { deskWebPreferences } from './security';

export interface CrashRecoveryOptions {
  /** Reloads allowed within `windowMs` (default 3 in 5 minutes). */
  limit?: number;
  windowMs?: number;
  now?: () => number;
}

export type CrashDecision = 'ignore' | 'reload' | 'give-up';

/** Decides what to do when the renderer is gone: pure and clock-injected, so the limit is tested exactly. */
export function createCrashRecovery(opts: CrashRecoveryOptions = {}) {
  const limit = opts.limit ?? 3;
  const windowMs = opts.windowMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  let recent: number[] = [];
  return {
    onGone(reason: RenderProcessGoneDetails['reason']): CrashDecision {
      if (reason === 'clean-exit') return 'ignore';
      const t = now();
      recent = recent.filter((at) => t - at < windowMs);
      if (recent.length >= limit) return 'give-up';
      recent.push(t);
      return 'reload';
    },
    get count() {
      return recent.length;
    },
  };
}

export interface WindowLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface CreateWindowOptions {
  BrowserWindow: BrowserWindowCtor;
  /** Absent for static pages (config error): they get no API at all. */
  preload?: string;
  kiosk: boolean;
  devTools: boolean;
  title?: string;
  log: WindowLog;
  recovery?: CrashRecoveryOptions;
  /** Called when the renderer died too often: the page shown instead. */
  onGiveUp?: (win: BrowserWindow) => void;
}

export function windowOptions(opts: Pick<CreateWindowOptions, 'preload' | 'kiosk' | 'devTools' | 'title'>): BrowserWindowConstructorOptions {
  return {
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: opts.title ?? '新生儿一件事 · Newborn Desk',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    kiosk: opts.kiosk,
    fullscreen: opts.kiosk,
    fullscreenable: true,
    webPreferences: deskWebPreferences({ ...(opts.preload ? { preload: opts.preload } : {}), devTools: opts.devTools }),
  };
}

export function createDeskWindow(opts: CreateWindowOptions): BrowserWindow {
  const win = new opts.BrowserWindow(windowOptions(opts));
  win.setMenuBarVisibility(false);
  win.once('ready-to-show', () => win.show());
  const recovery = createCrashRecovery(opts.recovery);
  win.webContents.on('render-process-gone', (_event, details) => {
    const decision = recovery.onGone(details.reason);
    opts.log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode, decision });
    if (win.isDestroyed() || decision === 'ignore') return;
    if (decision === 'reload') win.webContents.reload();
    else (opts.onGiveUp ?? showCrashPage)(win);
  });
  win.webContents.on('unresponsive', () => opts.log.warn('renderer unresponsive'));
  return win;
}

/** A static bilingual page with no script and nothing to load (`default-src 'none'`). */
export function staticPageHtml(zh: { title: string; body: string }, en: { title: string; body: string }): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'">` +
    `<title>${escapeHtml(zh.title)} · ${escapeHtml(en.title)}</title></head><body>` +
    `<h1>${escapeHtml(zh.title)}</h1><p>${escapeHtml(zh.body)}</p><h2>${escapeHtml(en.title)}</h2><p>${escapeHtml(en.body)}</p></body></html>`;
}

export function staticPageUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

export function crashPageHtml(): string {
  return staticPageHtml(
    { title: '界面多次意外退出', body: '已保存的草稿和队列不受影响。请关闭本程序后重新打开；如仍出现，请联系医院信息科。' },
    { title: 'The screen stopped unexpectedly several times', body: 'Saved drafts and the queue are safe. Close the program and open it again; if this happens again, call hospital IT.' },
  );
}

function showCrashPage(win: BrowserWindow): void {
  void win.loadURL(staticPageUrl(crashPageHtml()));
}
