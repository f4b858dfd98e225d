/**
 * Bad input from the city side: malformed or hostile answers (wrong types, huge bodies, unknown outcomes, results
 * and statuses for keys the desk never sent, backwards statuses, absurd ids) never crash the engine or corrupt
 * local state. Each is logged by name (no personal data) and the requests are retried or held; once the city
 * answers properly again both sides converge. Also: a protocol refusal (426) and refused credentials.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../city-api/contract';
import { allRequests, divergences, driveToConvergence, personalData, rewritingFetch, startRig, type Exchange, type Rig } from './rig';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

type Rewrite = (x: Exchange) => { status?: number; text: string; headers?: Record<string, string> } | null;
const onBatch = (f: (x: Exchange) => string | null): Rewrite => (x) => {
  if (!x.path.endsWith('requests:batch') || x.status !== 200) return null;
  const text = f(x);
  return text === null ? null : { text };
};
const onFeed = (f: (page: { updates: Record<string, unknown>[]; nextCursor: string; hasMore: boolean }) => unknown): Rewrite => (x) => {
  if (!x.path.endsWith('status-updates') || x.status !== 200) return null;
  return { text: JSON.stringify(f(JSON.parse(x.text))) };
};
const results = (x: Exchange) => (JSON.parse(x.text) as { results: Record<string, unknown>[] }).results;

const HOSTILE: Array<{ name: string; rewrite: Rewrite }> = [
  { name: 'results of the wrong type', rewrite: onBatch(() => JSON.stringify({ results: 'all good' })) },
  { name: 'a JSON array instead of an object', rewrite: onBatch(() => '[1,2,3]') },
  { name: 'HTML with status 200', rewrite: onBatch(() => '<html><body>Gateway</body></html>') },
  { name: 'a 12 MB body', rewrite: onBatch(() => JSON.stringify({ results: [], pad: 'x'.repeat(12 * 1024 * 1024) })) },
  { name: 'an unknown outcome', rewrite: onBatch((x) => JSON.stringify({ results: results(x).map((r) => ({ ...r, outcome: 'probably' })) })) },
  { name: 'accepted without a server id', rewrite: onBatch((x) => JSON.stringify({ results: results(x).map(({ serverId: _s, ...r }) => r) })) },
  { name: 'a 10,000-character server id', rewrite: onBatch((x) => JSON.stringify({ results: results(x).map((r) => ({ ...r, serverId: 'S'.repeat(10_000) })) })) },
  { name: 'results for keys the desk never sent', rewrite: onBatch((x) => JSON.stringify({ results: results(x).map((r, i) => ({ ...r, idempotencyKey: `someone-else-${i}` })) })) },
  { name: 'no results at all', rewrite: onBatch(() => JSON.stringify({ results: [] })) },
  {
    name: 'a status that does not exist',
    rewrite: onBatch((x) => JSON.stringify({ results: results(x).map((r) => ({ ...r, status: 'teleported' })) })),
  },
  {
    name: 'feed: backwards statuses, unknown keys, wrong types, 200-character document numbers',
    rewrite: onFeed((p) => ({
      ...p,
      updates: [
        ...p.updates,
        { seq: 'one', serverId: 7, idempotencyKey: null, status: 'issued', at: 'yesterday' },
        { seq: 999_999, serverId: 'CS-x', idempotencyKey: 'never-sent', status: 'issued', documentNumber: 'B123456789', at: new Date().toISOString() },
        ...p.updates.map((u) => ({ ...u, status: 'received' })),
        ...p.updates.map((u) => ({ ...u, documentNumber: 'D'.repeat(200) })),
      ],
    })),
  },
  { name: 'feed: not an object', rewrite: onFeed(() => 'nothing to see') },
  { name: 'feed: a cursor the city will refuse next time', rewrite: onFeed((p) => ({ ...p, nextCursor: '!!not-a-cursor!!' })) },
];

describe('a malformed or hostile city never crashes the engine or corrupts local state', () => {
  for (const h of HOSTILE) {
    it(`${h.name}: logged, retried or held, then both sides converge`, async () => {
      rig = await startRig();
      const regs = rig.submit(3);
      let hostile = true;
      const engine = rig.engine({ fetch: rewritingFetch((x) => (hostile ? h.rewrite(x) : null)), maxResponseBytes: 4 * 1024 * 1024 });
      for (let i = 0; i < 3; i++) {
        await expect(engine.syncNow()).resolves.toMatchObject({ running: false });
        rig.clock.advance(60_000);
      }
      // Local state stays coherent: nothing left leased, nothing accepted without a real server id, no huge values.
      for (const r of allRequests(rig.store)) {
        expect(r.state).not.toBe('sending');
        expect(r.leaseOwner).toBeNull();
        if (r.serverId !== null) expect(r.serverId).toMatch(/^CS-[0-9a-f-]{36}$/);
        if (r.documentNumber !== null) expect(r.documentNumber.length).toBeLessThanOrEqual(40);
        expect(['queued', 'accepted', 'in_review', 'approved', 'issued']).toContain(r.state);
      }
      expect(rig.logs.some((l) => l.level === 'warn' || l.level === 'error')).toBe(true);
      const logText = JSON.stringify(rig.logs);
      for (const pii of personalData(regs)) expect(logText.includes(pii)).toBe(false);
      hostile = false;
      await driveToConvergence(rig, engine);
      expect(divergences(rig.store, rig.sim.admin.listRequests())).toEqual([]);
      expect(rig.sim.admin.listRequests()).toHaveLength(15);
    });
  }

  it('a refused protocol (426) stops the engine with a status that says the desk must be upgraded', async () => {
    rig = await startRig({ sim: { protocol: { min: 2, max: 3 } } });
    rig.submit(1);
    const calls: Exchange[] = [];
    const engine = rig.engine({ fetch: rewritingFetch(() => null, calls) });
    engine.start();
    const deadline = Date.now() + 5000;
    while (!engine.needsUpgrade() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(engine.needsUpgrade()).toBe(true);
    const s = engine.status();
    expect(s.lastError).toMatch(/must be upgraded/);
    expect(s.lastError).toMatch(/accepts 2–3/);
    expect(s.nextRunAt).toBeNull();
    const n = calls.length;
    rig.clock.advance(3600_000);
    await engine.syncNow();
    engine.poke();
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.length).toBe(n); // it stays stopped
    for (const r of allRequests(rig.store)) expect(r).toMatchObject({ state: 'queued', leaseOwner: null });
    expect(rig.logs.some((l) => l.message === 'sync.protocol_refused')).toBe(true);
  });

  it('refused credentials are reported clearly and nothing is sent or lost', async () => {
    rig = await startRig({ sim: { credentials: [{ clientId: 'H330302001:desk-01', secret: 'right' }] } });
    rig.submit(1);
    const engine = rig.engine({ cityApi: { url: rig.sim.url, clientId: 'H330302001:desk-01', secret: 'wrong', timeoutMs: 2000 } });
    const s = await engine.syncNow();
    expect(s.lastError).toMatch(/refused this desk's credentials/);
    expect(s.online).toBe(true);
    expect(rig.sim.admin.listRequests()).toHaveLength(0);
    expect(allRequests(rig.store).every((r) => r.state === 'queued')).toBe(true);
    const fixed = rig.engine({ cityApi: { url: rig.sim.url, clientId: 'H330302001:desk-01', secret: 'right', timeoutMs: 2000 } });
    rig.clock.advance(15 * 60_000);
    await driveToConvergence(rig, fixed);
  });

  it('Retry-After from a 503 pauses the whole engine until it has passed', async () => {
    rig = await startRig();
    rig.submit(2, { services: ['vaccination'] });
    const problem = JSON.stringify({ type: PROBLEM_TYPES.unavailable, title: 'Service unavailable', status: 503, detail: 'maintenance' });
    let down = true;
    const calls: Exchange[] = [];
    const engine = rig.engine({
      fetch: rewritingFetch((x) => (down && x.path.endsWith('requests:batch') ? { status: 503, text: problem, headers: { 'retry-after': '120' } } : null), calls),
    });
    await engine.syncNow();
    down = false;
    const batchesBefore = calls.filter((c) => c.path.endsWith('requests:batch')).length;
    rig.clock.advance(60_000);
    await engine.syncNow(); // still inside the 120 s
    expect(calls.filter((c) => c.path.endsWith('requests:batch')).length).toBe(batchesBefore);
    for (const r of allRequests(rig.store)) expect(Date.parse(r.nextAttemptAt!)).toBeGreaterThanOrEqual(rig.clock.nowMs() + 59_000 - 1000);
    rig.clock.advance(61_000);
    await driveToConvergence(rig, engine);
  });
});
