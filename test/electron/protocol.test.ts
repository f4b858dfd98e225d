import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler, registerAppScheme, resolveAppPath } from '../../electron/main/protocol';
import { CSP } from '../../electron/main/security';
import { FakeProtocol, memoryLog } from './fakes';

let root = '';
let outside = '';
beforeAll(() => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'desk-app-scheme-'));
  root = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>desk</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(outside, 'TOP SECRET');
  symlinkSync(outside, path.join(root, 'assets', 'link.txt'));
});

describe('app:// scheme', () => {
  it('is registered as a privileged, standard, secure scheme', () => {
    const p = new FakeProtocol();
    registerAppScheme(p);
    expect(p.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }]);
  });

  it('maps our URLs into the build', () => {
    expect(resolveAppPath('/b', 'app://desk/')).toEqual({ ok: true, file: path.resolve('/b/index.html') });
    expect(resolveAppPath('/b', 'app://desk/assets/app.js?v=1#x')).toEqual({ ok: true, file: path.resolve('/b/assets/app.js') });
    expect(resolveAppPath('/b', 'app://desk/fonts/Noto%20Sans.woff2')).toEqual({ ok: true, file: path.resolve('/b/fonts/Noto Sans.woff2') });
  });

  it('refuses `..` in every spelling, absolute paths, drive letters, backslashes, NUL and foreign hosts', () => {
    const bad = [
      'app://desk/..%2f..%2fetc%2fpasswd',
      'app://desk/%2e%2e/%2e%2e/etc/passwd',
      'app://desk/assets/%2E%2E/%2E%2E/secret.txt',
      'app://desk/%252e%252e/secret.txt',
      'app://desk/assets/..%5c..%5csecret.txt',
      'app://desk//etc/passwd',
      'app://desk/%2fetc%2fpasswd',
      'app://desk/C:/Windows/win.ini',
      'app://desk/c%3a%5cWindows%5cwin.ini',
      'app://desk/index.html%00.png',
      'app://desk/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
    ];
    for (const u of bad) {
      const r = resolveAppPath('/b', u);
      expect(r.ok, u).toBe(false);
      if (!r.ok) expect([400, 403]).toContain(r.status);
    }
  });

  it('serves files with the CSP and nosniff headers', async () => {
    const handler = createAppProtocolHandler({ root });
    const res = await handler(new Request('app://desk/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>desk</title>');
    const js = await handler(new Request('app://desk/assets/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('refuses traversal, symlinks leading out, other methods; answers 404 for what is not there', async () => {
    const log = memoryLog();
    const handler = createAppProtocolHandler({ root, log });
    const get = async (u: string, method = 'GET') => {
      const r = await handler(new Request(u, { method }));
      return { status: r.status, body: await r.text() };
    };
    for (const u of ['app://desk/..%2fsecret.txt', 'app://desk/%2e%2e/secret.txt', 'app://desk/assets/link.txt', `app://desk/${encodeURIComponent(outside)}`]) {
      // Request (like Chromium) may normalise `..` away before the handler sees it: then it is simply not there.
      const r = await get(u);
      expect([403, 404], u).toContain(r.status);
      expect(r.body).not.toContain('TOP SECRET');
    }
    expect((await get('app://desk/missing.js')).status).toBe(404);
    expect((await get('app://desk/assets')).status).toBe(404);
    expect((await get('app://desk/index.html', 'POST')).status).toBe(405);
    expect((await get('app://desk/assets/link.txt')).status).toBe(403);
    expect(log.entries.filter((e) => e.message === 'app:// request refused').length).toBeGreaterThanOrEqual(2);
  });
});
