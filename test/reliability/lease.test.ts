/**
 * Lease discipline (issue 14), on loopback against the real simulator:
 * - a batch the city refuses as a whole (a real 400: one item's idempotency key is unusable) is bisected by
 *   sequential re-sends; with a 200 ms city and a 1 s lease the bisection outlives the claim's lease, and the
 *   engine's other slot must not take the still-unsent halves back while their first attempt is in flight;
 * - a burst of 5xx opens the circuit breaker: one probe at a time while the city fails, and the attempts of the
 *   requests queued behind it are not burned.
 */
import { afterEach, expect, it } from 'vitest';
import { allRequests, startRig, type Rig } from './rig';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Counts, per idempotency key, how many batch calls carry it at once; records every overlap. */
function overlapWatch() {
  const inFlight = new Map<string, number>();
  const overlaps: string[] = [];
  let calls = 0;
  let maxConcurrentCalls = 0;
  let concurrent = 0;
  const fetchFn = async (input: Parameters<typeof fetch>[0], init?: RequestInit, inner: typeof fetch = fetch): Promise<Response> => {
    const isBatch = String(input).includes('requests:batch') && typeof init?.body === 'string';
    if (!isBatch) return inner(input, init);
    const keys = (JSON.parse(init.body as string) as { items: Array<{ idempotencyKey: string }> }).items.map((i) => i.idempotencyKey);
    calls += 1;
    concurrent += 1;
    maxConcurrentCalls = Math.max(maxConcurrentCalls, concurrent);
    for (const k of keys) {
      const n = (inFlight.get(k) ?? 0) + 1;
      inFlight.set(k, n);
      if (n > 1) overlaps.push(k);
    }
    try {
      return await inner(input, init);
    } finally {
      concurrent -= 1;
      for (const k of keys) inFlight.set(k, (inFlight.get(k) ?? 1) - 1);
    }
  };
  return { fetch: fetchFn, overlaps, calls: () => calls, maxConcurrentCalls: () => maxConcurrentCalls };
}

it('a bisected batch keeps its lease: no key is sent again while its first attempt is in flight (200 ms city, 1 s lease)', async () => {
  rig = await startRig({ sim: { faults: { latencyMs: 200 } } });
  // The oldest 8 requests make the first batch; its last item has a key the city cannot answer one by one (a
  // real 400 for the whole batch), so the batch is bisected: 8 → 4+4 → 2+2 → 1+1, seven calls of 200 ms.
  rig.submit(88, { services: ['vaccination'] });
  const eighth = allRequests(rig.store)[7]!;
  rig.store.context.db.prepare(`UPDATE service_requests SET idempotency_key = ? WHERE id = ?`).run('not a usable key!', eighth.id);
  const watch = overlapWatch();
  const engine = rig.engine({ batch: { maxItems: 8, maxBytes: 256 * 1024 }, leaseMs: 1000, concurrency: 2, fetch: (i, n) => watch.fetch(i, n) });
  await engine.syncNow();

  expect(watch.overlaps).toEqual([]);
  const local = allRequests(rig.store);
  const refused = local.find((r) => r.id === eighth.id)!;
  expect(refused.state).toBe('held');
  expect(refused.reason).toMatch(/HTTP 400|400/);
  // Every other request went through with exactly one claim (attempt), none twice.
  const others = local.filter((r) => r.id !== eighth.id);
  expect(others.filter((r) => r.attempts !== 1).map((r) => `${r.id}: ${r.attempts} attempts, ${r.state}`)).toEqual([]);
  expect(others.every((r) => r.serverId !== null)).toBe(true);
  const server = rig.sim.admin.listRequests();
  expect(server.filter((s) => s.intakeCount !== 1)).toEqual([]);
  expect(server).toHaveLength(87);
}, 60_000);

/** The simulator's injected 5xx, all as a plain 500 (no Retry-After, which would pause the engine anyway). */
const plain500s: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status !== 503) return res;
  const headers = new Headers(res.headers);
  headers.delete('retry-after');
  headers.delete('content-length');
  return new Response(await res.text(), { status: 500, headers });
};

it('a burst of 5xx opens the breaker: one probe at a time while the city fails, the queued requests keep their attempts', async () => {
  rig = await startRig({ sim: { faults: { latencyMs: 20 } } });
  rig.submit(60, { services: ['vaccination'] });
  const watch = overlapWatch();
  rig.sim.admin.setFaults({ errorRate: 1 });
  const engine = rig.engine({ batch: { maxItems: 10, maxBytes: 256 * 1024 }, concurrency: 2, fetch: (i, n) => watch.fetch(i, n, plain500s) });
  for (let round = 0; round < 8; round++) {
    await engine.syncNow();
    rig.clock.advance(10 * 60_000);
  }
  const tried = allRequests(rig.store).filter((r) => r.attempts > 0);
  // The first failing batch(es) in flight when the city started failing (at most `concurrency` of them), then one
  // request per probe: every other queued request was never claimed.
  expect(tried.length).toBeLessThanOrEqual(2 * 10 + 8);
  expect(watch.calls()).toBeLessThanOrEqual(2 + 8);
  expect(allRequests(rig.store).filter((r) => r.attempts === 0).length).toBeGreaterThanOrEqual(60 - 28);
  expect(rig.logs.some((l) => l.message === 'sync.breaker_open')).toBe(true);

  // The city recovers: the next probe closes the breaker and the queue drains at full speed.
  rig.sim.admin.setFaults({ errorRate: 0 });
  await engine.syncNow();
  rig.clock.advance(60 * 60_000);
  await engine.syncNow();
  expect(rig.store.requests.queueDepth()).toBe(0);
  expect(rig.logs.some((l) => l.message === 'sync.breaker_closed')).toBe(true);
  expect(watch.overlaps).toEqual([]);
  expect(rig.sim.admin.listRequests()).toHaveLength(60);
}, 60_000);
