/**
 * The lease is in the database: two engines over one desk database (two connections, as two processes would
 * have) drain one queue together and never have the same request in flight twice — the city is asked for each
 * request exactly once (intake count 1 everywhere), with no fault that would justify a re-send.
 */
import { afterEach, expect, it } from 'vitest';
import { FileKeyProvider } from '../../db/key-provider';
import { openStore, type Store } from '../../db/store';
import { buildSyncThread } from '../../scripts/build-sync-thread.mjs';
import { nodeThreadHost } from '../../core/sync/node-thread-host';
import { allRequests, divergences, startRig, threadedEngine, type Rig } from './rig';

let rig: Rig | undefined;
let second: Store | undefined;
afterEach(async () => {
  await rig?.close();
  second?.close();
  rig = undefined;
  second = undefined;
});

it('two engines on one database never send the same request twice', async () => {
  rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 50, reviewToDecisionMs: 50 }, faults: { latencyMs: 5 } } });
  rig.submit(120);
  second = await openStore({ file: rig.dbFile, keyProvider: new FileKeyProvider(rig.keyFile), now: rig.clock.now });
  const sentBy = { a: 0, b: 0 };
  const counting =
    (who: 'a' | 'b'): typeof fetch =>
    (input, init) => {
      if (String(input).includes('requests:batch') && typeof init?.body === 'string') sentBy[who] += (JSON.parse(init.body) as { items: unknown[] }).items.length;
      return fetch(input, init);
    };
  const a = rig.engine({ batch: { maxItems: 7, maxBytes: 256 * 1024 }, leaseOwner: 'process-a', fetch: counting('a') });
  const b = rig.engine({ store: second, batch: { maxItems: 7, maxBytes: 256 * 1024 }, leaseOwner: 'process-b', fetch: counting('b') });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    await Promise.all([a.syncNow(), b.syncNow()]);
    if (rig.store.requests.queueDepth() === 0) break;
    await new Promise((r) => setTimeout(r, 30));
  }
  expect(rig.store.requests.queueDepth()).toBe(0);
  const server = rig.sim.admin.listRequests();
  expect(server).toHaveLength(600);
  expect(server.filter((s) => s.intakeCount !== 1)).toEqual([]);
  const local = allRequests(rig.store);
  expect(local.every((r) => r.attempts === 1)).toBe(true);
  // Both took part, and together they sent each request once.
  expect(sentBy.a).toBeGreaterThan(50);
  expect(sentBy.b).toBeGreaterThan(50);
  expect(sentBy.a + sentBy.b).toBe(600);
  await Promise.all([a.syncNow(), b.syncNow()]);
  expect(divergences(rig.store, rig.sim.admin.listRequests()).filter((d) => !/local (accepted|in_review) ≠/.test(d))).toEqual([]);
}, 120_000);

it('an engine in its own thread and one on the desk loop, on one database, never send the same request twice', async () => {
  const entry = await buildSyncThread();
  rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 50, reviewToDecisionMs: 50 }, faults: { latencyMs: 5 } } });
  rig.submit(60);
  let sentByA = 0;
  const a = rig.engine({
    batch: { maxItems: 7, maxBytes: 256 * 1024 },
    leaseOwner: 'desk-loop',
    fetch: (input, init) => {
      if (String(input).includes('requests:batch') && typeof init?.body === 'string') sentByA += (JSON.parse(init.body) as { items: unknown[] }).items.length;
      return fetch(input, init);
    },
  });
  const b = threadedEngine(rig, nodeThreadHost(entry), { maxItems: 7 });
  b.start();
  try {
    await b.ready();
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      await Promise.all([a.syncNow(), b.syncNow()]);
      if (rig.store.requests.queueDepth() === 0) break;
      await new Promise((r) => setTimeout(r, 30));
    }
  } finally {
    await b.stop();
  }
  expect(rig.store.requests.queueDepth()).toBe(0);
  const server = rig.sim.admin.listRequests();
  expect(server).toHaveLength(300);
  expect(server.filter((s) => s.intakeCount !== 1)).toEqual([]);
  expect(allRequests(rig.store).every((r) => r.attempts === 1)).toBe(true);
  // The audit chain written by both connections still verifies.
  expect(rig.store.verifyAuditChain().ok).toBe(true);
  // Both took part: the thread sent what the desk-loop engine did not.
  expect(sentByA).toBeGreaterThan(0);
  expect(sentByA).toBeLessThan(300);
}, 120_000);
