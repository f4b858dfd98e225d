/**
 * Crash: the desk's own sync process — the built out/sync/thread.cjs in a process of its own, as the Electron app
 * runs it in a utility process, started and restarted by the desk-side proxy (core/sync/thread.ts) with the desk's
 * lease owner — drains 2,000 queued requests while it is killed with SIGKILL at 30+ random moments: while it opens
 * the store, claims, waits for the city, records results, applies the feed. The proxy starts it again each time
 * (as the desk does). At the end every request is on the city's side exactly once (one stored copy per request: a
 * request whose batch was committed just before a kill is learnt from the status feed, or re-sent and answered
 * `duplicate`) and both sides agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeProcessHost } from '../../core/sync/node-thread-host';
import { buildSyncThread } from '../../scripts/build-sync-thread.mjs';
import { rng } from '../../db/test-helpers';
import { allRequests, driveToConvergence, startRig, threadedEngine, type Rig } from './rig';

const KILLS = 32;
const BUNDLES = 400; // × 5 services = 2,000 requests

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let entry = '';
beforeAll(async () => {
  entry = await buildSyncThread();
}, 60_000);

describe('crash: SIGKILL the sync process at random moments', () => {
  let rig: Rig | undefined;
  afterAll(async () => rig?.close());

  it('#3 duplicates from retries and reloads: 2,000 requests, 30+ SIGKILLs, every request on the server exactly once', async () => {
    // A quick review clock so dependants (which wait for the birth certificate / child ID number) move on.
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 40, reviewToDecisionMs: 40 }, faults: { latencyMs: 25 } } });
    rig.submit(BUNDLES);
    expect(allRequests(rig.store)).toHaveLength(BUNDLES * 5);

    const pids: number[] = [];
    const spawned = async (n: number): Promise<number> => {
      for (let i = 0; pids.length < n; i++) {
        if (i > 2000) throw new Error(`the proxy did not start sync process ${n}`);
        await sleep(5);
      }
      return pids[n - 1]!;
    };
    const sync = threadedEngine(rig, nodeProcessHost(entry, (pid) => pids.push(pid)), { maxItems: 5, restartMs: { first: 20, max: 50 } });
    const t0 = Date.now();
    const rnd = rng(2024);
    let kills = 0;
    sync.start();
    for (let i = 1; i <= KILLS; i++) {
      const pid = await spawned(i);
      if (i % 5 === 0) {
        // Some kills land while the process starts (opening the store, taking back its old leases).
        await sleep(rnd() * 400);
      } else {
        await sync.ready();
        await sleep(rnd() * 350);
      }
      try {
        process.kill(pid, 'SIGKILL');
        kills += 1;
      } catch {
        // it had already ended
      }
    }
    expect(kills).toBeGreaterThanOrEqual(30);
    await spawned(KILLS + 1);
    await sync.ready();
    const tKills = Date.now() - t0;
    const workLeft = rig.store.requests.queueDepth();
    // The last run goes on until nothing is left to send (the engine's own schedule: nothing drives it).
    for (let i = 0; rig.store.requests.queueDepth() > 0; i++) {
      if (i > 1200) throw new Error(`not drained: ${JSON.stringify(rig.store.requests.countByState())}`);
      await sleep(100);
    }
    expect(sync.restarts()).toBe(KILLS);
    await sync.stop();
    const tLast = Date.now() - t0 - tKills;

    const local = allRequests(rig.store);
    expect(local.filter((r) => r.state === 'queued' || r.state === 'sending' || r.state === 'held')).toEqual([]);
    const server = rig.sim.admin.listRequests();
    expect(server).toHaveLength(BUNDLES * 5);
    const keys = new Set(server.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(BUNDLES * 5);
    for (const r of local) expect(keys.has(r.idempotencyKey)).toBe(true);
    const perRequest = new Set(server.map((s) => `${s.registrationId}:${s.service}`));
    expect(perRequest.size).toBe(BUNDLES * 5);
    expect(server.every((s) => s.conflictCount === 0)).toBe(true);
    // The audit chain the desk and its sync process both wrote still verifies.
    expect(rig.store.verifyAuditChain()).toMatchObject({ ok: true });

    // Both sides agree once the review finishes (an in-process engine pulls the rest of the feed).
    await driveToConvergence(rig, rig.engine(), { stepMs: 1000, maxRounds: 100 });
    const attempts = local.reduce((n, r) => n + r.attempts, 0);
    const duplicates = server.filter((s) => s.intakeCount > 1).length;
    console.log(
      `crash: ${kills} SIGKILLs of the sync process (${workLeft} requests still queued after them), ${attempts} attempts for ${local.length} requests, ` +
        `${duplicates} answered as duplicates, stored once each; kills phase ${tKills} ms, last run ${tLast} ms`,
    );
  }, 300_000);
});
