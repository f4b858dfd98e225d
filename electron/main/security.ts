/**
 * The window's security rules, as pure functions and small installers that take the Electron objects as
 * parameters (Actual's `security.ts` habit): unit-tested with fakes, and again in the running app by the
 * Playwright `_electron` test. Electron's security checklist, item by item:
 *   - context isolation, sandbox, no Node integration anywhere, web security on (`deskWebPreferences`);
 *   - the UI only from our own `app://desk/` origin (`isTrustedUrl`, `protocol.ts`), with a strict CSP;
 *   - navigation, redirects, new windows and `<webview>` refused (`hardenWebContents`);
 *   - every permission request and check denied, downloads refused (but a blob: the page made), network requests
 *     from pages refused
 *     (`hardenSession`): the renderer talks to nothing but KioskApi over IPC.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../app/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** The desk's one Content-Security-Policy (see electron/app/csp.ts). */
export const CSP = CONTENT_SECURITY_POLICY;

/** True only for URLs of our own build: `app://desk/…`. */
export function isTrustedUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '' && url.port === '';
}

/** Chromium's built-in PDF viewer, which shows a PDF inside a frame. */
export const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';

/**
 * A frame inside our page may also show a `blob:` URL the page made itself (`blob:app://desk/<uuid>`: the receipt
 * PDF preview), the PDF viewer that displays it, or `about:blank`. Nothing else.
 */
export function isTrustedFrameUrl(raw: string | null | undefined): boolean {
  if (isTrustedUrl(raw)) return true;
  if (typeof raw !== 'string') return false;
  if (raw === 'about:blank') return true;
  if (raw.startsWith(`${PDF_VIEWER_ORIGIN}/`)) return true;
  return raw.startsWith('blob:') && isTrustedUrl(raw.slice('blob:'.length));
}

/** Downloads are allowed only of files the page made itself. */
function isPageMadeBlob(raw: string): boolean {
  return raw.startsWith('blob:') && isTrustedUrl(raw.slice('blob:'.length));
}

/** The window's webPreferences: nothing of Node reaches a page, the preload runs sandboxed. */
export function deskWebPreferences(opts: { preload?: string; devTools: boolean }): WebPreferences {
  return {
    ...(opts.preload ? { preload: opts.preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    // Chromium's PDF viewer (the receipt preview in a blob: frame) is a plugin; no other plugin exists in Electron.
    plugins: true,
    devTools: opts.devTools,
  };
}

export interface SecurityLog {
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Only scheme and host of a refused URL are logged: a query string could carry personal data. */
export function urlForLog(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

type Preventable = { preventDefault(): void };
type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Refuses navigation and redirects away from app://desk/, every new window, and every webview, on one
 * webContents (installed for each one from `app.on('web-contents-created')`).
 */
export function hardenWebContents(contents: HardenableContents, log: SecurityLog): void {
  const refuse = (what: string) => (event: Preventable, url: string) => {
    if (isTrustedUrl(url)) return;
    event.preventDefault();
    log.warn(`${what} refused`, { to: urlForLog(url) });
  };
  contents.on('will-navigate', refuse('navigation') as never);
  contents.on('will-frame-navigate', ((event: Preventable & { url: string; isMainFrame: boolean }) => {
    if (event.isMainFrame ? isTrustedUrl(event.url) : isTrustedFrameUrl(event.url)) return;
    event.preventDefault();
    log.warn('frame navigation refused', { to: urlForLog(event.url) });
  }) as never);
  contents.on('will-redirect', refuse('redirect') as never);
  contents.on('will-attach-webview', ((event: Preventable) => {
    event.preventDefault();
    log.warn('webview refused');
  }) as never);
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('new window refused', { to: urlForLog(url) });
    return { action: 'deny' };
  });
}

type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest'>;
};

/** Schemes a page may never reach: it talks to KioskApi over IPC, and loads nothing but app:// files. */
export const BLOCKED_REQUEST_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

/** Denies every permission (camera, notifications, HID, USB, serial…), every download and every network request. */
export function hardenSession(session: HardenableSession, log: SecurityLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (details, callback) => {
    log.warn('network request from a page refused', { to: urlForLog(details.url) });
    callback({ cancel: true });
  });
  // The one download allowed: a file the page made itself (the receipt's "Save" link on a blob:app://desk/ URL);
  // Electron then asks where to save it. Anything else is refused.
  session.on('will-download', ((event: Preventable, item: { getURL(): string }) => {
    if (item?.getURL && isPageMadeBlob(item.getURL())) return;
    event.preventDefault();
    log.warn('download refused', { from: item?.getURL ? urlForLog(item.getURL()) : null });
  }) as never);
}
