/**
 * Browser mode's HTTP surface against a real training desk: token, origin and host checks, body limit, malformed
 * JSON, the CSP header, static files confined to the build folder, and the generic method/event wiring.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useBrowserModeDesk } from './test-desk';
import { CONTENT_SECURITY_POLICY } from './server';

const desk = useBrowserModeDesk('desk-bm-', { 'secret.txt': 'not for the browser' });

const api = (method: string, body: string | undefined, headers: Record<string, string> = {}) =>
  fetch(`${desk.mode.origin}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-desk-token': desk.mode.token, ...headers }, ...(body !== undefined ? { body } : {}) });

/** Raw request (fetch will not send a forged Host header). */
function raw(pathname: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: new URL(desk.mode.origin).port, path: pathname, method: 'GET', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser mode server', () => {
  it('binds 127.0.0.1 and hands the token in the URL fragment only', () => {
    expect(desk.mode.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(desk.mode.url).toBe(`${desk.mode.origin}/#token=${desk.mode.token}`);
    expect(desk.mode.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the page with the CSP header, and nothing outside the build folder', async () => {
    const res = await fetch(`${desk.mode.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) expect(await raw(p, {})).toBe(404);
  });

  it('answers a method through the generic dispatcher', async () => {
    const res = await api('getSession', '{}');
    expect(res.status).toBe(200);
    const r = (await res.json()) as { ok: boolean; value: { training: boolean } };
    expect(r.ok).toBe(true);
    expect(r.value.training).toBe(true);
    const bad = await api('signIn', JSON.stringify({ staffId: 'trainer', pin: 'x' }));
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { ok: boolean; error: { code: string; fields: { path: string }[] } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.fields.map((f) => f.path)).toContain('pin');
  });

  it('refuses calls without the token, from another origin or host, and unknown methods', async () => {
    expect((await api('getSession', '{}', { 'x-desk-token': 'wrong' })).status).toBe(401);
    expect((await fetch(`${desk.mode.origin}/api/getSession`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await api('getSession', '{}', { origin: 'http://evil.example' })).status).toBe(403);
    expect(await raw('/', { host: 'evil.example' })).toBe(403);
    expect((await api('dropTables', '{}')).status).toBe(404);
    expect((await fetch(`${desk.mode.origin}/api/events`)).status).toBe(401);
  });

  it('answers malformed JSON with a 400 problem and an oversized body with 413, running nothing', async () => {
    const res = await api('signIn', '{"staffId": "trainer", ');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await res.json()) as { title: string }).title).toBe('Malformed JSON');
    const big = await api('saveDraft', JSON.stringify({ id: '01934b6e-0000-7000-8000-000000000001', data: { x: 'a'.repeat(2 * 1024 * 1024) } }));
    expect(big.status).toBe(413);
    expect((await api('getSession', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('judges the token before reading the body: a wrong token with an oversized or malformed body is a 401', async () => {
    const big = JSON.stringify({ id: '01934b6e-0000-7000-8000-000000000001', data: { x: 'a'.repeat(2 * 1024 * 1024) } });
    for (const body of [big, '{"staffId": ']) {
      const res = await api('saveDraft', body, { 'x-desk-token': 'wrong' });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('pushes events over SSE with the token as a query parameter', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${desk.mode.origin}/api/events?token=${desk.mode.token}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await api('signIn', JSON.stringify({ staffId: 'trainer', pin: '123456' }));
    await api('simulateScan', JSON.stringify({ value: 'ZY2026031401' }));
    let text = '';
    const until = Date.now() + 10_000;
    while (!text.includes('barcodeScanned') && Date.now() < until) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ctrl.abort();
    const frame = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('barcodeScanned'))!;
    const { event, payload } = JSON.parse(frame.slice(6)) as { event: string; payload: { kind: string; value: string } };
    expect(event).toBe('barcodeScanned');
    expect(payload).toMatchObject({ kind: 'wristband', value: 'ZY2026031401' });
  });
});
