/** Tokens (issue, expiry, 401), the protocol header (400 / 426) and the Date header, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from './contract';
import { call, clientFor, item, startTestSim, tokenFor, type TestSim } from './testkit';

describe('auth', () => {
  let t: TestSim;
  let wall = Date.parse('2025-03-08T02:00:00Z');
  beforeAll(async () => {
    t = await startTestSim({
      credentials: [{ clientId: 'H001:desk-1', secret: 's3cret' }],
      tokenTtlSec: 600,
      now: () => wall,
    });
  });
  afterAll(() => t.stop());

  const tokenCall = (body: string, contentType: string, extra: Record<string, string> = {}) =>
    call(`${t.sim.url}/v1/oauth/token`, { method: 'POST', headers: { 'X-Client-Protocol': '1', 'Content-Type': contentType, ...extra }, body });

  it('issues a bearer token for form, JSON and Basic client credentials', async () => {
    const form = await tokenCall('grant_type=client_credentials&client_id=H001%3Adesk-1&client_secret=s3cret', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(200);
    expect(form.json).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(form.json.access_token).toMatch(/^[0-9a-f]{64}$/);
    expect(form.headers['cache-control']).toBe('no-store');

    const json = await tokenCall(JSON.stringify({ grant_type: 'client_credentials', client_id: 'H001:desk-1', client_secret: 's3cret' }), 'application/json');
    expect(json.status).toBe(200);
    expect(json.json.access_token).not.toBe(form.json.access_token);

    const basic = Buffer.from(`${encodeURIComponent('H001:desk-1')}:s3cret`).toString('base64');
    const viaBasic = await tokenCall('grant_type=client_credentials', 'application/x-www-form-urlencoded', { Authorization: `Basic ${basic}` });
    expect(viaBasic.status).toBe(200);
  });

  it('refuses a wrong secret, an unknown client and a bad grant with specific problems', async () => {
    const wrong = await tokenCall('grant_type=client_credentials&client_id=H001:desk-1&client_secret=nope', 'application/x-www-form-urlencoded');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toBe('application/problem+json');
    expect(wrong.json).toMatchObject({ type: PROBLEM_TYPES.invalidClient, status: 401, error: 'invalid_client' });

    const unknown = await tokenCall('grant_type=client_credentials&client_id=H009:desk-1&client_secret=s3cret', 'application/x-www-form-urlencoded');
    expect(unknown.status).toBe(401);

    const grant = await tokenCall('grant_type=password&client_id=H001:desk-1&client_secret=s3cret', 'application/x-www-form-urlencoded');
    expect(grant.status).toBe(400);
    expect(grant.json).toMatchObject({ error: 'unsupported_grant_type' });
    expect(grant.json.errors[0].path).toBe('grant_type');

    const badId = await tokenCall('grant_type=client_credentials&client_id=nodesk&client_secret=s3cret', 'application/x-www-form-urlencoded');
    expect(badId.status).toBe(400);
    expect(badId.json.errors.map((e: { path: string }) => e.path)).toEqual(['client_id']);
  });

  it('answers 401 without a token, with an unknown token and with an expired one; a renewed token works', async () => {
    const url = `${t.sim.url}/v1/status-updates`;
    const none = await call(url, { headers: { 'X-Client-Protocol': '1' } });
    expect(none.status).toBe(401);
    expect(none.json.type).toBe(PROBLEM_TYPES.invalidToken);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);

    const unknown = await call(url, { headers: { 'X-Client-Protocol': '1', Authorization: 'Bearer 0123' } });
    expect(unknown.status).toBe(401);

    const token = await tokenFor(t.sim.url, 'H001:desk-1', 's3cret');
    const client = clientFor(t.sim.url, token);
    expect((await client.feed()).status).toBe(200);

    wall += 599_000; // still valid one second before expiry
    expect((await client.feed()).status).toBe(200);
    wall += 1_000;
    const expired = await client.feed();
    expect(expired.status).toBe(401);
    expect(expired.json.detail).toMatch(/expired/);
    expect(expired.headers['www-authenticate']).toMatch(/invalid_token/);

    const renewed = clientFor(t.sim.url, await tokenFor(t.sim.url, 'H001:desk-1', 's3cret'));
    expect((await renewed.batch([item('birth_certificate')])).status).toBe(200);
  });

  it('expires tokens on the business clock too (advance)', async () => {
    const client = clientFor(t.sim.url, await tokenFor(t.sim.url, 'H001:desk-1', 's3cret'));
    expect((await client.feed()).status).toBe(200);
    t.sim.admin.advance(3 * 86_400_000);
    expect((await client.feed()).status).toBe(401);
  });
});

describe('protocol header', () => {
  let t: TestSim;
  beforeAll(async () => {
    t = await startTestSim({ protocol: { min: 2, max: 3 } });
  });
  afterAll(() => t.stop());

  const tokenWith = (headers: Record<string, string>) =>
    call(`${t.sim.url}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: 'grant_type=client_credentials&client_id=H001:desk-1&client_secret=x',
    });

  it('answers 400 when the header is missing or not an integer', async () => {
    const missing = await tokenWith({});
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ type: PROBLEM_TYPES.missingProtocol, supportedProtocols: { min: 2, max: 3 } });
    expect(missing.json.errors[0].path).toBe('header:X-Client-Protocol');
    const word = await tokenWith({ 'X-Client-Protocol': 'two' });
    expect(word.status).toBe(400);
  });

  it('answers 426 unsupported-protocol, saying which versions it supports, on every endpoint', async () => {
    for (const v of ['1', '4']) {
      const r = await tokenWith({ 'X-Client-Protocol': v });
      expect(r.status).toBe(426);
      expect(r.headers['content-type']).toBe('application/problem+json');
      expect(r.json).toMatchObject({ type: PROBLEM_TYPES.unsupportedProtocol, status: 426, supportedProtocols: { min: 2, max: 3 } });
      expect(r.json.detail).toContain('2 to 3');
    }
    const feed = await call(`${t.sim.url}/v1/status-updates`, { headers: { 'X-Client-Protocol': '1' } });
    expect(feed.status).toBe(426);
    const batch = await call(`${t.sim.url}/v1/requests:batch`, { method: 'POST', headers: { 'X-Client-Protocol': '9' }, body: '{}' });
    expect(batch.status).toBe(426);
  });

  it('serves the supported versions, and every answer carries a Date header', async () => {
    for (const v of ['2', '3']) {
      const r = await tokenWith({ 'X-Client-Protocol': v });
      expect(r.status).toBe(200);
      const date = Date.parse(String(r.headers.date));
      expect(Math.abs(date - Date.now())).toBeLessThan(5_000);
    }
    const problem = await tokenWith({});
    expect(problem.headers.date).toBeTruthy();
  });
});
