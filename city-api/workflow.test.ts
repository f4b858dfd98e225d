/** The review workflow on the clock, the status feed and its cursor, restarts on the same file, clean close. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeCursor, SERVER_STATUS_RANK, type StatusUpdate } from './contract';
import { startCitySimulator } from './server';
import { simPerSuite } from './test-fixture';
import { call, clientFor, item, startTestSim, tokenFor, type Client, type TestSim } from './testkit';

const SEC = 1000;

describe('review workflow on the clock', () => {
  const wall = Date.parse('2025-03-09T08:00:00Z');
  const suite = simPerSuite({ reviewClock: { receivedToReviewMs: 60 * SEC, reviewToDecisionMs: 300 * SEC }, now: () => wall, tokenTtlSec: 86_400 * 30 });

  it('moves received → in_review → issued exactly when due, with the due times in `at`', async () => {
    const it1 = item('birth_certificate');
    await suite.desk.batch([it1]);
    const statusOf = async () => (await suite.t.admin(`/admin/requests?key=${it1.idempotencyKey}`)).json.requests[0].status;
    expect(await statusOf()).toBe('received');
    suite.t.sim.admin.advance(59 * SEC);
    expect(await statusOf()).toBe('received');
    suite.t.sim.admin.advance(1 * SEC);
    expect(await statusOf()).toBe('in_review');
    const r = await suite.t.admin('/admin/advance', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ms: 300 * SEC }) });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ now: new Date(wall + 360 * SEC).toISOString(), transitions: 1 });
    expect(await statusOf()).toBe('issued');

    const feed = await suite.desk.feed();
    const mine = feed.json.updates.filter((u: StatusUpdate) => u.idempotencyKey === it1.idempotencyKey);
    expect(mine.map((u: StatusUpdate) => [u.status, u.at])).toEqual([
      ['received', new Date(wall).toISOString()],
      ['in_review', new Date(wall + 60 * SEC).toISOString()],
      ['issued', new Date(wall + 360 * SEC).toISOString()],
    ]);
  });

  it('"three days offline": one advance settles everything, the feed never goes backwards per request', async () => {
    const items = Array.from({ length: 30 }, (_, i) => item(i % 2 ? 'vaccination' : 'birth_certificate'));
    await suite.desk.batch(items);
    const moved = await suite.t.admin('/admin/advance', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"ms":259200000}' });
    expect(moved.json.transitions).toBe(60);
    const all: StatusUpdate[] = (await suite.desk.feed('limit=500')).json.updates;
    const seqs = all.map((u) => u.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const last = new Map<string, number>();
    for (const u of all) {
      const rank = SERVER_STATUS_RANK[u.status];
      expect(rank).toBeGreaterThan(last.get(u.serverId) ?? -1);
      last.set(u.serverId, rank);
    }
    const stored = suite.t.sim.admin.listRequests();
    expect(stored.every((s) => s.status === 'issued' || s.status === 'approved')).toBe(true);
  });

  it('refuses a bad advance', async () => {
    const r = await suite.t.admin('/admin/advance', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"ms":-5}' });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].path).toBe('ms');
    expect(() => suite.t.sim.admin.advance(-1)).toThrow();
  });
});

describe('status feed paging', () => {
  let t: TestSim;
  let desk: Client;
  beforeAll(async () => {
    t = await startTestSim({ reviewClock: { receivedToReviewMs: 10 * SEC, reviewToDecisionMs: 10 * SEC } });
    desk = await t.client();
    const items = Array.from({ length: 25 }, () => item('vaccination'));
    await desk.batch(items);
    t.sim.admin.advance(20 * SEC); // 25 × (received, in_review, approved) = 75 updates
  });
  afterAll(() => t.stop());

  it('pages with an opaque cursor: every update once, in order, hasMore until the end', async () => {
    const seen: StatusUpdate[] = [];
    let since = '';
    let pages = 0;
    for (;;) {
      const r = await desk.feed(`since=${since}&limit=7`);
      expect(r.status).toBe(200);
      expect(r.json.updates.length).toBeLessThanOrEqual(7);
      seen.push(...r.json.updates);
      since = r.json.nextCursor;
      pages += 1;
      if (!r.json.hasMore) break;
    }
    expect(seen).toHaveLength(75);
    expect(pages).toBe(11);
    expect(new Set(seen.map((u) => u.seq)).size).toBe(75);
    expect(seen.map((u) => u.seq)).toEqual([...seen.map((u) => u.seq)].sort((a, b) => a - b));
    // At the end: an empty page, the same cursor, no more.
    const end = await desk.feed(`since=${since}`);
    expect(end.json).toEqual({ updates: [], nextCursor: since, hasMore: false });
    expect(decodeCursor(since)).toBe(seen.at(-1)!.seq);
    // Re-reading from an older cursor gives the same updates again (the client may crash before storing it).
    const again = await desk.feed(`since=${encodeURIComponent(since)}&limit=500`);
    expect(again.json.updates).toEqual([]);
  });

  it('refuses a bad cursor and a limit outside 1..500 with field errors', async () => {
    const bad = await desk.feed('since=%%%');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatchObject({ path: 'since', code: 'invalid_cursor' });
    for (const limit of ['0', '501', 'ten', '-1']) {
      const r = await desk.feed(`limit=${limit}`);
      expect(r.status).toBe(400);
      expect(r.json.errors[0]).toMatchObject({ path: 'limit', code: 'out_of_range' });
    }
    expect((await desk.feed('limit=500')).json.updates).toHaveLength(75);
  });

  it('moves on its own while idle (periodic tick)', async () => {
    const fast = await startTestSim({ reviewClock: { receivedToReviewMs: 30, reviewToDecisionMs: 30 } });
    try {
      const c = await fast.client();
      const it1 = item('birth_certificate');
      await c.batch([it1]);
      await vi.waitFor(() => expect(fast.sim.admin.listRequests()[0]!.status).toBe('issued'), { timeout: 10_000, interval: 20 });
      // The tick, not the lazy advance of the admin call, moved it: the feed holds all three already.
      const feed = await c.feed();
      expect(feed.json.updates.map((u: StatusUpdate) => u.status)).toEqual(['received', 'in_review', 'issued']);
    } finally {
      await fast.stop();
    }
  });
});

describe('restart on the same data file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'city-api-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps requests, tokens, the feed, issued numbers, idempotency and the advanced clock', async () => {
    const opts = { reviewClock: { receivedToReviewMs: 60 * SEC, reviewToDecisionMs: 60 * SEC } };
    const first = await startTestSim(opts, dir);
    const token = await tokenFor(first.sim.url);
    const c1 = clientFor(first.sim.url, token);
    const a = item('birth_certificate');
    const b = item('vaccination');
    const accepted = await c1.batch([a, b]);
    first.sim.admin.advance(120 * SEC);
    const clockBefore = first.sim.admin.now();
    const feedBefore = (await c1.feed()).json;
    const storedBefore = first.sim.admin.listRequests();
    await first.stop();

    const second = await startTestSim(opts, dir);
    try {
      expect(second.sim.admin.now() - clockBefore).toBeGreaterThanOrEqual(0);
      expect(second.sim.admin.now() - clockBefore).toBeLessThan(60 * SEC); // the 120 s advance survived
      const c2 = clientFor(second.sim.url, token); // the old token still works
      expect((await c2.feed()).json).toEqual(feedBefore);
      expect(second.sim.admin.listRequests()).toEqual(storedBefore);
      const again = await c2.batch([a, b, item('birth_certificate')]);
      expect(again.json.results.slice(0, 2)).toEqual(
        accepted.json.results.map((r: { serverId: string; idempotencyKey: string }, i: number) => ({
          idempotencyKey: r.idempotencyKey,
          outcome: 'duplicate',
          serverId: r.serverId,
          status: storedBefore[i]!.status,
        })),
      );
      second.sim.admin.advance(120 * SEC);
      const numbers = second.sim.admin.listRequests().filter((s) => s.service === 'birth_certificate').map((s) => s.documentNumber);
      expect(new Set(numbers).size).toBe(2); // the counter went on, no number reused
    } finally {
      await second.stop();
    }
  });
});

describe('clean close', () => {
  it('starts and stops many times leaving no timers, servers or sockets behind', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'city-api-close-'));
    const count = () => {
      const m = new Map<string, number>();
      for (const r of process.getActiveResourcesInfo()) m.set(r, (m.get(r) ?? 0) + 1);
      return m;
    };
    await new Promise((r) => setTimeout(r, 50));
    const before = count();
    for (let i = 0; i < 8; i++) {
      const sim = await startCitySimulator({ dataFile: path.join(dir, 'c.sqlite'), credentials: 'any', faults: { latencyMs: i % 2 ? 0 : 50 } });
      const token = await tokenFor(sim.url).catch(() => undefined);
      // A call still waiting on injected latency when close() runs must not keep a timer alive.
      const pending = call(`${sim.url}/v1/status-updates`, { headers: { 'X-Client-Protocol': '1', Authorization: `Bearer ${token ?? ''}` } }).catch(() => undefined);
      await sim.close();
      await pending;
    }
    await new Promise((r) => setTimeout(r, 100)); // let destroyed handles finish closing
    const after = count();
    for (const kind of ['Timeout', 'TCPServerWrap', 'TCPSocketWrap']) {
      expect(after.get(kind) ?? 0, kind).toBeLessThanOrEqual(before.get(kind) ?? 0);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
