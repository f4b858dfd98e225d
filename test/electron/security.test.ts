import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, BLOCKED_REQUEST_URLS, CSP, deskWebPreferences, hardenSession, hardenWebContents, isTrustedFrameUrl, isTrustedUrl } from '../../electron/main/security';
import { FakeSession, FakeWebContents, memoryLog } from './fakes';

describe('window webPreferences', () => {
  it('isolate the page from Node completely and keep the preload sandboxed', () => {
    const p = deskWebPreferences({ preload: '/app/out/electron/preload.cjs', devTools: false }) as Record<string, unknown>;
    expect(p.preload).toBe('/app/out/electron/preload.cjs');
    // Walls that must stand, and doors that must stay shut (Electron's security checklist).
    for (const wall of ['contextIsolation', 'sandbox', 'webSecurity']) expect(p[wall], wall).toBe(true);
    const doors = ['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag', 'navigateOnDragDrop', 'devTools'];
    for (const door of doors) expect(p[door], door).toBe(false);
    expect(p.plugins).toBe(true); // the PDF viewer only
    expect(isTrustedFrameUrl('blob:app://desk/x')).toBe(true);
    expect(isTrustedFrameUrl('blob:null/x')).toBe(false);
    expect(deskWebPreferences({ devTools: true })).not.toHaveProperty('preload');
  });
});

describe('Content-Security-Policy', () => {
  const directives = Object.fromEntries(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  it('allows scripts only from our own origin: no inline, no eval, no network', () => {
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
  });
});

describe('isTrustedUrl', () => {
  it('trusts app://desk/ only', () => {
    expect(isTrustedUrl(APP_INDEX_URL)).toBe(true);
    expect(isTrustedUrl('app://desk/assets/index-abc.js')).toBe(true);
    for (const u of [
      'app://evil/index.html',
      'app://desk.evil/index.html',
      'app://user:pw@desk/index.html',
      'https://desk/index.html',
      'file:///etc/passwd',
      'http://127.0.0.1:5173/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'about:blank',
      '',
      null,
      'not a url',
    ]) {
      expect(isTrustedUrl(u), String(u)).toBe(false);
    }
  });
});

describe('hardenWebContents', () => {
  const setup = () => {
    const wc = new FakeWebContents();
    const log = memoryLog();
    hardenWebContents(wc as never, log);
    return { wc, log };
  };
  it('blocks navigation away from app://desk/ and lets our own pages load', () => {
    const { wc, log } = setup();
    expect(wc.emitPreventable('will-navigate', 'https://example.com/?id=330302199003071234')).toBe(true);
    expect(wc.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.emitPreventable('will-navigate', 'app://desk/index.html')).toBe(false);
    const frameNav = (url: string, isMainFrame: boolean) => {
      let prevented = false;
      wc.emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(frameNav('https://example.com/', false)).toBe(true);
    expect(frameNav('blob:app://desk/5a0c1d7e-0000-4000-8000-000000000000', false)).toBe(false); // the receipt preview
    expect(frameNav('blob:https://evil.example/5a0c', false)).toBe(true);
    expect(frameNav('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', false)).toBe(false); // PDF viewer
    expect(frameNav('chrome-extension://otherextensionid/index.html', false)).toBe(true);
    expect(frameNav('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html', true)).toBe(true);
    expect(frameNav('blob:app://desk/5a0c1d7e-0000-4000-8000-000000000000', true)).toBe(true); // never the whole window
    expect(frameNav(APP_INDEX_URL, true)).toBe(false);
    // Only scheme and host are logged, never a query string.
    expect(JSON.stringify(log.entries)).not.toContain('330302199003071234');
    expect(log.entries.some((e) => e.message === 'navigation refused')).toBe(true);
  });
  it('blocks redirects away from app://desk/', () => {
    const { wc } = setup();
    expect(wc.emitPreventable('will-redirect', 'https://example.com/')).toBe(true);
    expect(wc.emitPreventable('will-redirect', 'app://desk/index.html')).toBe(false);
  });
  it('denies every new window, even to our own origin', () => {
    const { wc } = setup();
    expect(wc.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler?.({ url: APP_INDEX_URL })).toEqual({ action: 'deny' });
  });
  it('refuses every webview', () => {
    const { wc } = setup();
    expect(wc.emitPreventable('will-attach-webview', {}, { src: APP_INDEX_URL })).toBe(true);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check, every download and every network request', () => {
    const s = new FakeSession();
    const log = memoryLog();
    hardenSession(s as never, log);
    for (const permission of ['media', 'notifications', 'geolocation', 'hid', 'usb', 'serial', 'clipboard-read', 'fullscreen', 'openExternal']) {
      let granted: boolean | null = null;
      s.permissionRequest!({}, permission, (g) => (granted = g), {});
      expect(granted, permission).toBe(false);
      expect(s.permissionCheck!({}, permission, 'app://desk', {})).toBe(false);
    }
    expect(s.devicePermission!({})).toBe(false);
    expect(s.beforeRequest!.filter.urls).toEqual(BLOCKED_REQUEST_URLS);
    let answer: { cancel?: boolean } | null = null;
    s.beforeRequest!.fn({ url: 'https://tracker.example/' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
    const download = (url: string) => {
      let prevented = false;
      s.emit('will-download', { preventDefault: () => (prevented = true) }, { getURL: () => url }, {});
      return prevented;
    };
    expect(download('https://example.com/setup.exe')).toBe(true);
    expect(download('file:///etc/passwd')).toBe(true);
    expect(download('app://desk/index.html')).toBe(true);
    expect(download('blob:app://desk/5a0c1d7e-0000-4000-8000-000000000000')).toBe(false); // the receipt's Save link
  });
});
