/** Every injected fault, as a raw HTTP client sees it; the seeded PRNG; outages that keep the data. */
import { request as httpRequest, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from './contract';
import { simPerSuite } from './test-fixture';
import { ADMIN_TOKEN, call, clientFor, isResponse, item, raw, startTestSim, tokenFor } from './testkit';

describe('fault injection', () => {
  const suite = simPerSuite();
  afterEach(() => {
    suite.t.sim.admin.setFaults({ latencyMs: 0, errorRate: 0, rateLimitRate: 0, dropAfterCommitRate: 0, malformedRate: 0, tokenEarlyExpiryRate: 0, offline: false, clockSkewMs: 0 });
  });

  const setFaults = (body: unknown) =>
    suite.t.admin('/admin/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const batchRaw = (items: unknown[]) =>
    raw(`${suite.t.sim.url}/v1/requests:batch`, { method: 'POST', headers: { ...suite.desk.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ items }) });
  const storedCount = (key: string) => suite.t.sim.admin.listRequests({ idempotencyKey: key }).length;

  it('switches faults at run time through POST /admin/faults and reads them back', async () => {
    const r = await setFaults({ errorRate: 0.25, latencyMs: 5 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ errorRate: 0.25, latencyMs: 5, rateLimitRate: 0, offline: false });
    expect((await suite.t.admin('/admin/faults')).json).toEqual(r.json);
    const bad = await setFaults({ errorRate: 2, bogus: true });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'errorRate']);
    expect((await suite.t.admin('/admin/faults')).json.errorRate).toBe(0.25); // nothing changed
  });

  it('guards the admin endpoints with the admin token', async () => {
    expect((await call(`${suite.t.sim.url}/admin/faults`)).status).toBe(401);
    expect((await call(`${suite.t.sim.url}/admin/faults`, { headers: { Authorization: `Bearer ${suite.desk.token}` } })).status).toBe(401);
    expect((await call(`${suite.t.sim.url}/admin/requests`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });

  it('latency: answers no sooner than latencyMs', async () => {
    await setFaults({ latencyMs: 300 });
    const started = performance.now();
    const r = await suite.desk.feed();
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('errorRate: 500 or 503 (with Retry-After) before anything is stored', async () => {
    await setFaults({ errorRate: 1, retryAfterSec: 7 });
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const it1 = item('vaccination');
      const r = await batchRaw([it1]);
      if (!isResponse(r)) throw new Error(r.error);
      statuses.add(r.status);
      expect(r.headers['content-type']).toBe('application/problem+json');
      if (r.status === 503) {
        expect(r.headers['retry-after']).toBe('7');
        expect(r.json.type).toBe(PROBLEM_TYPES.unavailable);
      } else {
        expect(r.status).toBe(500);
      }
      expect(storedCount(it1.idempotencyKey)).toBe(0);
    }
    expect([...statuses].sort()).toEqual([500, 503]);
  });

  it('rateLimitRate: 429 with Retry-After', async () => {
    await setFaults({ rateLimitRate: 1, retryAfterSec: 3 });
    const r = await suite.desk.feed();
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('3');
    expect(r.json).toMatchObject({ type: PROBLEM_TYPES.rateLimited, status: 429 });
  });

  it('dropAfterCommitRate: the batch is committed, the connection is cut; the retry is a duplicate', async () => {
    await setFaults({ dropAfterCommitRate: 1 });
    const it1 = item('birth_certificate');
    const r = await batchRaw([it1]);
    expect(isResponse(r)).toBe(false);
    expect((r as { error: string }).error).toBe('ECONNRESET');
    expect(storedCount(it1.idempotencyKey)).toBe(1);
    await setFaults({ dropAfterCommitRate: 0 });
    const retry = await suite.desk.batch([it1]);
    expect(retry.json.results[0].outcome).toBe('duplicate');
    expect(suite.t.sim.admin.listRequests({ idempotencyKey: it1.idempotencyKey })[0]!.intakeCount).toBe(2);
  });

  it('malformedRate: 200 with a truncated JSON body (after the commit)', async () => {
    await setFaults({ malformedRate: 1 });
    const it1 = item('vaccination');
    const r = await batchRaw([it1]);
    if (!isResponse(r)) throw new Error(r.error);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.text));
    expect(() => JSON.parse(r.text)).toThrow(SyntaxError);
    expect(r.text.startsWith('{"results":[')).toBe(true);
    expect(storedCount(it1.idempotencyKey)).toBe(1);
    const feed = await raw(`${suite.t.sim.url}/v1/status-updates`, { headers: suite.desk.headers });
    expect(isResponse(feed) && feed.status === 200 && feed.json === undefined).toBe(true);
  });

  it('tokenEarlyExpiryRate: 401 on a valid token', async () => {
    await setFaults({ tokenEarlyExpiryRate: 1 });
    const r = await suite.desk.feed();
    expect(r.status).toBe(401);
    expect(r.json.type).toBe(PROBLEM_TYPES.invalidToken);
    await setFaults({ tokenEarlyExpiryRate: 0 });
    expect((await suite.desk.feed()).status).toBe(200); // the token itself was valid all along
  });

  it('offline: open connections are closed at once, new ones are cut; /admin still answers; back online works', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // Open a keep-alive connection and park it.
      const socketClosed = new Promise<void>((resolve, reject) => {
        const req = httpRequest(`${suite.t.sim.url}/v1/status-updates`, { headers: suite.desk.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => {
            const socket = req.socket;
            if (!socket || socket.destroyed) return reject(new Error('socket already closed'));
            socket.on('close', () => resolve());
          });
        });
        req.end();
      });
      await new Promise((r) => setTimeout(r, 20));
      expect((await setFaults({ offline: true })).status).toBe(200);
      await socketClosed;
      const r = await raw(`${suite.t.sim.url}/v1/status-updates`, { headers: suite.desk.headers });
      expect(isResponse(r)).toBe(false);
      expect((r as { error: string }).error).toMatch(/ECONNRESET|socket hang up/);
      expect((await suite.t.admin('/admin/faults')).json.offline).toBe(true);
      await setFaults({ offline: false });
      expect((await suite.desk.feed()).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('clockSkewMs: shifts the Date header', async () => {
    await setFaults({ clockSkewMs: -600_000 });
    const r = await suite.desk.feed();
    const skew = Date.parse(String(r.headers.date)) - Date.now();
    expect(skew).toBeLessThan(-590_000);
    expect(skew).toBeGreaterThan(-612_000);
  });

  it('stopAccepting / startAccepting: a refused port during the outage, the same port and data after', async () => {
    const it1 = item('birth_certificate');
    await suite.desk.batch([it1]);
    await suite.t.sim.admin.stopAccepting();
    expect(suite.t.sim.admin.accepting).toBe(false);
    const r = await raw(`${suite.t.sim.url}/v1/status-updates`, { headers: suite.desk.headers });
    expect(r).toEqual({ error: 'ECONNREFUSED' });
    await suite.t.sim.admin.startAccepting();
    expect((await suite.desk.batch([it1])).json.results[0].outcome).toBe('duplicate');
  });
});

describe('seeded fault PRNG', () => {
  async function run(seed: number): Promise<string[]> {
    const t = await startTestSim({ faults: { seed } });
    try {
      const c = clientFor(t.sim.url, await tokenFor(t.sim.url));
      t.sim.admin.setFaults({ errorRate: 0.3, rateLimitRate: 0.2, malformedRate: 0.2 });
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await raw(`${t.sim.url}/v1/status-updates`, { headers: c.headers });
        seen.push(isResponse(r) ? `${r.status}${r.status === 200 && r.json === undefined ? '!' : ''}` : r.error);
      }
      return seen;
    } finally {
      await t.stop();
    }
  }

  it('reproduces the same fault sequence from the same seed', async () => {
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    for (const kind of ['200', '200!', '429']) expect(a).toContain(kind);
    expect(a.some((s) => s === '500' || s === '503')).toBe(true);
  });
});
