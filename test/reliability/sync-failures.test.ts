/**
 * The ten field failures of shared/reference/sync-failures.md, one named test each (#3 is the SIGKILL crash
 * test in crash.test.ts; #3 here covers retries and reloads in process). Real simulator, real encrypted store,
 * one shared injectable clock (rig.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../city-api/contract';
import { STATE_RANK } from '../../domain/codes';
import { backoffCeiling } from '../../core/sync';
import { FileKeyProvider } from '../../db/key-provider';
import { openStore } from '../../db/store';
import { createSyncRepo, DUE_QUEUED_SQL } from '../../db/sync-repo';
import {
  allRequests,
  divergences,
  driveToConvergence,
  driveUntil,
  rewritingFetch,
  startRig,
  type Exchange,
  type Rig,
} from './rig';

const FIRST_WAVE = ['birth_certificate', 'vaccination'] as const;

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

describe('sync failures users reported (sync-failures.md)', () => {
  it('#1 items stuck "sending…" forever: a crashed attempt\'s lease expires and the request is retried; a hung one times out; each row shows its state and next attempt', async () => {
    rig = await startRig();
    rig.submit(3, { services: [...FIRST_WAVE] });
    // A desk process claimed the requests and died before it could send them.
    const repo = createSyncRepo(rig.store);
    const claimed = repo.claimDue({
      now: rig.clock.now(),
      owner: 'crashed-process',
      leaseMs: 30_000,
      maxItems: 50,
      maxBytes: 1_000_000,
      sizeOf: () => 100,
      backoffMs: () => 5_000,
    });
    expect(claimed).toHaveLength(6);
    for (const r of allRequests(rig.store)) {
      expect(r).toMatchObject({ state: 'sending', attempts: 1, leaseOwner: 'crashed-process' });
      expect(r.nextAttemptAt).not.toBeNull();
      expect(r.lastError).toMatch(/attempt 1 did not finish/);
    }
    const engine = rig.engine({ leaseMs: 10_000 });
    await engine.syncNow();
    expect(allRequests(rig.store).every((r) => r.state === 'sending')).toBe(true); // the lease still holds
    rig.clock.advance(31_000);
    await engine.syncNow();
    for (const r of allRequests(rig.store)) expect(r).toMatchObject({ state: 'accepted', attempts: 2, leaseOwner: null, lastError: null });

    // A hung call: the city answers later than the desk's timeout. The request goes back to the queue with the
    // reason and its next attempt time, visible to the clerk (and announced).
    const impatient = rig.engine({ cityApi: { url: rig.sim.url, clientId: 'H330302001:desk-01', secret: 's', timeoutMs: 300 } });
    await impatient.syncNow(); // online
    rig.submit(1, { services: ['vaccination'] });
    rig.sim.admin.setFaults({ latencyMs: 1500 });
    const tried = rig.clock.nowMs();
    await impatient.syncNow();
    const hung = allRequests(rig.store).find((r) => r.registrationId === rig!.registrations[3]!.id)!;
    expect(hung).toMatchObject({ state: 'queued', attempts: 1, lastError: 'timed out', leaseOwner: null });
    expect(Date.parse(hung.nextAttemptAt!)).toBeGreaterThanOrEqual(tried);
    expect(Date.parse(hung.nextAttemptAt!)).toBeLessThanOrEqual(tried + 60_000);
    const announced = rig.seen.filter((e) => e.event === 'requestStatusChanged' && (e.payload as { requestId: string }).requestId === hung.id);
    expect(announced.map((e) => (e.payload as { state: string }).state)).toEqual(['sending', 'queued']);
    expect((announced[1]!.payload as { reason: string }).reason).toBe('timed out');
    rig.sim.admin.setFaults({ latencyMs: 0 });
    await driveUntil(rig, impatient, () => allRequests(rig!.store).every((r) => r.state !== 'queued'), { stepMs: 120_000 });
    expect(rig.sim.admin.listRequests()).toHaveLength(7);
  });

  it('#2 one failing item blocks the whole queue: a refused request is held with its reason, the rest flow on, only its dependants wait', async () => {
    rig = await startRig();
    // The oldest bundle has a mistyped mother's ID number: the city refuses all its requests at intake.
    const [bad] = rig.submit(1, { mutate: (reg) => void (reg.mother.docNumber = wrongCheck(reg.mother.docNumber)) });
    const good = rig.submit(6);
    // One more request the city refuses as a whole batch (a 400 for any batch that carries it): bisection
    // isolates it, its batch-mates go through.
    const [poisoned] = rig.submit(1, { services: ['vaccination'] });
    const poisonKey = allRequests(rig.store).find((r) => r.registrationId === poisoned!.id)!.idempotencyKey;
    const problem = JSON.stringify({ type: PROBLEM_TYPES.invalidRequest, title: 'Invalid request', status: 400, detail: 'payload.doses: unreadable' });
    const engine = rig.engine({
      fetch: rewritingFetch((x) => (x.keys.includes(poisonKey) ? { status: 400, text: problem, headers: { 'content-type': 'application/problem+json' } } : null)),
    });
    const goodIds = new Set(good.map((g) => g.id));
    await driveUntil(rig, engine, () =>
      allRequests(rig!.store)
        .filter((r) => goodIds.has(r.registrationId))
        .every((r) => ['approved', 'issued'].includes(r.state)),
    );
    const mine = allRequests(rig.store).filter((r) => r.registrationId === bad!.id);
    const byService = Object.fromEntries(mine.map((r) => [r.service, r]));
    for (const s of FIRST_WAVE) {
      expect(byService[s]!.state).toBe('held');
      expect(byService[s]!.reason).toMatch(/payload\.mother\.docNumber/);
    }
    // Its dependants were never sent: they wait for the birth certificate's number.
    const repo = createSyncRepo(rig.store);
    for (const s of ['maternity_insurance', 'household_registration'] as const) {
      expect(byService[s]).toMatchObject({ state: 'queued', attempts: 0 });
      expect(repo.waitingFor(byService[s]!.id)).toEqual(['birth_certificate']);
    }
    expect(repo.waitingFor(byService.citizen_card!.id)).toEqual(['household_registration']);
    const poisonRow = allRequests(rig.store).find((r) => r.idempotencyKey === poisonKey)!;
    expect(poisonRow.state).toBe('held');
    expect(poisonRow.reason).toMatch(/400 Invalid request: payload\.doses/);
    expect(divergences(rig.store, rig.sim.admin.listRequests())).toEqual([]);

    // The city rejects a birth certificate in review (the simulator never does: its feed answer is rewritten):
    // the dependants waiting for it are held, saying which one they wait for; the citizen card simply waits.
    const [third] = rig.submit(1);
    const bcKey = allRequests(rig.store).find((r) => r.registrationId === third!.id && r.service === 'birth_certificate')!.idempotencyKey;
    const rejecting = rig.engine({
      fetch: rewritingFetch((x) => {
        if (!x.path.endsWith('status-updates') || x.status !== 200) return null;
        const page = JSON.parse(x.text) as { updates: Array<{ idempotencyKey: string; status: string; documentNumber?: string }> };
        for (const u of page.updates) {
          if (u.idempotencyKey === bcKey && u.status === 'issued') {
            u.status = 'rejected';
            delete u.documentNumber;
          }
        }
        return { text: JSON.stringify(page) };
      }),
    });
    await driveUntil(rig, rejecting, () => allRequests(rig!.store).some((r) => r.idempotencyKey === bcKey && r.state === 'rejected'));
    await rejecting.syncNow();
    const third3 = Object.fromEntries(allRequests(rig.store).filter((r) => r.registrationId === third!.id).map((r) => [r.service, r]));
    expect(third3.maternity_insurance!.state).toBe('held');
    expect(third3.maternity_insurance!.reason).toMatch(/Waits for birth_certificate, which the city rejected/);
    expect(third3.household_registration!.state).toBe('held');
    expect(third3.citizen_card!.state).toBe('queued');
    expect(third3.vaccination!.state).not.toBe('held');
  });

  it('#3 duplicates from retries and reloads: answers lost after the city committed and an engine restarted mid-flight leave each request stored once', async () => {
    rig = await startRig({ sim: { faults: { dropAfterCommitRate: 1 } } });
    rig.submit(4);
    // Every batch is committed and its answer lost; the feed is down too, so the desk cannot learn otherwise.
    const feedDown = JSON.stringify({ type: PROBLEM_TYPES.unavailable, title: 'Service unavailable', status: 503, detail: 'down' });
    const first = rig.engine({ fetch: rewritingFetch((x) => (x.path.endsWith('status-updates') ? { status: 503, text: feedDown } : null)) });
    for (let i = 0; i < 4; i++) {
      await first.syncNow();
      rig.clock.advance(15 * 60_000);
    }
    expect(rig.sim.admin.listRequests().length).toBeGreaterThan(0);
    expect(allRequests(rig.store).filter((r) => r.serverId !== null)).toEqual([]);
    await first.stop();
    // A reload: a new engine (new lease owner) over the same database, the city answering again.
    rig.sim.admin.setFaults({ dropAfterCommitRate: 0 });
    rig.clock.advance(15 * 60_000);
    await driveToConvergence(rig, rig.engine());
    const server = rig.sim.admin.listRequests();
    expect(server).toHaveLength(20);
    expect(new Set(server.map((s) => s.idempotencyKey)).size).toBe(20);
    expect(server.some((s) => s.intakeCount > 1)).toBe(true); // re-sent and answered `duplicate`, stored once
    expect(server.every((s) => s.conflictCount === 0)).toBe(true);
  });

  it('#4 attachments break offline submissions: evidences are stored with the bundle in its one transaction and never block its requests', async () => {
    rig = await startRig();
    await rig.sim.admin.stopAccepting();
    const [reg] = rig.submit(1, {
      mutate: (r) =>
        void r.evidences.push(
          { kind: 'household_booklet', capture: 'scan', ref: 'HB-2026-000123' },
          { kind: 'father_id', capture: 'manual' },
        ),
    });
    const engine = rig.engine();
    await engine.syncNow();
    expect(engine.status().online).toBe(false);
    const stored = rig.store.registrations.get(reg!.id)!;
    expect(stored.evidences.map((e) => e.kind)).toEqual(reg!.evidences.map((e) => e.kind));
    expect(allRequests(rig.store).every((r) => r.state === 'queued')).toBe(true);
    // The city contract has no attachment upload: evidence references travel with the registration, so there is
    // nothing that could hold the requests back once the city is reachable.
    await rig.sim.admin.startAccepting();
    rig.clock.advance(15 * 60_000);
    await driveToConvergence(rig, engine);
    expect(rig.store.registrations.get(reg!.id)!.evidences).toHaveLength(stored.evidences.length);
  });

  it('#5 local data wiped or lost on lock/close: stopping mid-batch and reopening the store keeps every unsynced request', async () => {
    rig = await startRig();
    const engine = rig.engine({ batch: { maxItems: 7, maxBytes: 256 * 1024 } });
    await engine.syncNow(); // online
    rig.submit(10);
    rig.sim.admin.setFaults({ latencyMs: 2000 });
    const cycle = engine.syncNow();
    await new Promise((r) => setTimeout(r, 300)); // a batch is in flight
    expect(allRequests(rig.store).some((r) => r.state === 'sending')).toBe(true);
    await engine.stop();
    await cycle;
    const before = allRequests(rig.store);
    expect(before).toHaveLength(50);
    expect(before.filter((r) => r.state === 'sending')).toEqual([]); // leases given back, not stuck
    rig.store.close();
    rig.store = await openStore({ file: rig.dbFile, keyProvider: new FileKeyProvider(rig.keyFile), now: rig.clock.now });
    const after = allRequests(rig.store);
    expect(after.map((r) => [r.id, r.state, r.payload])).toEqual(before.map((r) => [r.id, r.state, r.payload]));
    expect(rig.store.registrations.get(rig.registrations[0]!.id)).not.toBeNull();
    rig.sim.admin.setFaults({ latencyMs: 0 });
    rig.clock.advance(15 * 60_000);
    await driveToConvergence(rig, rig.engine());
    expect(rig.sim.admin.listRequests()).toHaveLength(50);
  });

  it('#6 sync does not resume on reconnection: 3 days offline with bundles submitted meanwhile, then the queue drains in order with no clerk action', async () => {
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 200, reviewToDecisionMs: 200 } } });
    // The order in which the desk hands requests to the city (first time each key is sent).
    const sent: string[] = [];
    const spy: typeof fetch = (input, init) => {
      if (String(input).includes('requests:batch') && typeof init?.body === 'string') {
        for (const i of (JSON.parse(init.body) as { items: { idempotencyKey: string }[] }).items) if (!sent.includes(i.idempotencyKey)) sent.push(i.idempotencyKey);
      }
      return fetch(input, init);
    };
    const engine = rig.engine({ intervalMs: 150, fetch: spy });
    rig.submit(2);
    await engine.syncNow();
    await rig.sim.admin.stopAccepting(); // the outage
    engine.start();
    for (let step = 0; step < 12; step++) {
      rig.clock.advance(6 * 3600_000); // 12 × 6 h = 3 days
      rig.submit(2);
      engine.poke();
      await new Promise((r) => setTimeout(r, 60));
    }
    const offline = engine.status();
    expect(offline.online).toBe(false);
    expect(offline.queueDepth).toBeGreaterThanOrEqual(24 * 5);
    expect(offline.lastError).toMatch(/network error/);
    // Nothing is lost and nothing burns attempts while the city is unreachable (the engine probes with the feed).
    const waiting = allRequests(rig.store).filter((r) => r.serverId === null);
    expect(waiting.length).toBe(offline.queueDepth);
    // (at most the one attempt of the cycle that found the city gone)
    for (const r of waiting) {
      expect(r).toMatchObject({ state: 'queued', leaseOwner: null });
      expect(r.attempts).toBeLessThanOrEqual(1);
    }

    await rig.sim.admin.startAccepting(); // the network returns; nobody presses anything
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const local = allRequests(rig.store);
      if (local.every((r) => ['approved', 'issued'].includes(r.state)) && divergences(rig.store, rig.sim.admin.listRequests()).length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(divergences(rig.store, rig.sim.admin.listRequests())).toEqual([]);
    expect(allRequests(rig.store).every((r) => ['approved', 'issued'].includes(r.state))).toBe(true);
    expect(engine.status()).toMatchObject({ online: true, queueDepth: 0, held: 0 });
    // The UI heard it: progress events went offline during the outage and online again after it.
    const onlineFlags = rig.seen.filter((e) => e.event === 'syncProgress').map((e) => (e.payload as { online: boolean }).online);
    const wentOffline = onlineFlags.indexOf(false, onlineFlags.indexOf(true));
    expect(wentOffline).toBeGreaterThan(0);
    expect(onlineFlags.indexOf(true, wentOffline)).toBeGreaterThan(wentOffline);
    // In order: the desk handed the independent requests to the city in the order it created them.
    const local = allRequests(rig.store);
    const created = new Map(local.map((r, i) => [r.idempotencyKey, i]));
    const firstWave = new Set(local.filter((r) => (FIRST_WAVE as readonly string[]).includes(r.service)).map((r) => r.idempotencyKey));
    const order = sent.filter((k) => firstWave.has(k)).map((k) => created.get(k)!);
    expect(order).toHaveLength(firstWave.size);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    await engine.stop();
  });

  it('#7 errored records never retried: transient errors retry by themselves with capped, jittered backoff; held ones retry on the clerk\'s action', async () => {
    rig = await startRig({ sim: { faults: { errorRate: 1, retryAfterSec: 0 } } });
    // One request: while the city fails, the breaker lets one probe of one request through per cycle (lease.test.ts).
    rig.submit(1, { services: ['vaccination'] });
    const engine = rig.engine();
    const seenDelays: number[] = [];
    for (let attempt = 1; attempt <= 9; attempt++) {
      const t = rig.clock.nowMs();
      await engine.syncNow();
      for (const r of allRequests(rig.store)) {
        expect(r).toMatchObject({ state: 'queued', attempts: attempt });
        expect(r.lastError).toMatch(/^(500|503) /);
        const delay = Date.parse(r.nextAttemptAt!) - t;
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoffCeiling(attempt));
        seenDelays.push(delay);
      }
      rig.clock.advance(10 * 60_000 + 1); // past the cap: the next attempt is due
    }
    expect(Math.max(...seenDelays)).toBeLessThanOrEqual(10 * 60_000);
    expect(new Set(seenDelays).size).toBeGreaterThan(5); // jitter
    rig.sim.admin.setFaults({ errorRate: 0 });
    await driveToConvergence(rig, engine);

    // A held request (the city refused its batch once) goes back to the queue on the clerk's retry.
    const [reg] = rig.submit(1, { services: ['vaccination'] });
    const key = allRequests(rig.store).find((r) => r.registrationId === reg!.id)!.idempotencyKey;
    let refuse = true;
    const problem = JSON.stringify({ type: PROBLEM_TYPES.invalidRequest, title: 'Invalid request', status: 400, detail: 'refused once' });
    const picky = rig.engine({ fetch: rewritingFetch((x) => (refuse && x.keys.includes(key) ? { status: 400, text: problem } : null)) });
    await picky.syncNow();
    const held = allRequests(rig.store).find((r) => r.idempotencyKey === key)!;
    expect(held.state).toBe('held');
    refuse = false;
    rig.store.requests.retry(held.id, { actor: 'clerk-01' });
    await driveToConvergence(rig, picky);
    expect(allRequests(rig.store).find((r) => r.idempotencyKey === key)!.state).toBe('approved');
  });

  it('#8 large backlogs fail or crawl: every batch is bounded by count and bytes, and the queue lookups use indexes', async () => {
    rig = await startRig();
    rig.submit(120, { services: [...FIRST_WAVE] });
    const exchanges: Exchange[] = [];
    const engine = rig.engine({ batch: { maxItems: 37, maxBytes: 30_000 }, fetch: rewritingFetch(() => null, exchanges) });
    await driveToConvergence(rig, engine);
    const batches = exchanges.filter((x) => x.path.endsWith('requests:batch'));
    expect(batches.reduce((n, b) => n + b.keys.length, 0)).toBe(240);
    for (const b of batches) {
      expect(b.keys.length).toBeLessThanOrEqual(37);
      expect(b.requestBytes).toBeLessThanOrEqual(30_000);
    }
    expect(Math.max(...batches.map((b) => b.requestBytes))).toBeGreaterThan(20_000); // bytes, not count, bound them
    const plan = (sql: string) =>
      (rig!.store.context.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ now: new Date().toISOString() }) as { detail: string }[]).map((r) => r.detail);
    // The claim's own query (db/sync-repo.ts) walks the queue index: no sort of every due row.
    const claimPlan = plan(DUE_QUEUED_SQL.replace('@limit', '10'));
    expect(claimPlan.join('\n')).toMatch(/USING INDEX service_requests_queue/);
    expect(claimPlan.join('\n')).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    const feedPlan = plan(`SELECT * FROM service_requests WHERE idempotency_key = @now`);
    expect(feedPlan.join('\n')).toMatch(/USING INDEX/);
  });

  it('#9 local and server status diverge: status only moves forward, stale and foreign updates are ignored, feed and cursor commit together, both sides converge', async () => {
    rig = await startRig();
    rig.submit(3);
    const engine = rig.engine();
    await driveToConvergence(rig, engine);
    const issued = allRequests(rig.store).find((r) => r.state === 'issued')!;
    // A broken feed replays old statuses, talks about a key this desk never had, and claims another server id.
    const hostile = rig.engine({
      fetch: rewritingFetch((x) => {
        if (!x.path.endsWith('status-updates') || x.status !== 200) return null;
        const page = JSON.parse(x.text) as { updates: unknown[]; nextCursor: string; hasMore: boolean };
        const at = new Date().toISOString();
        page.updates.push(
          { seq: 900001, serverId: issued.serverId, idempotencyKey: issued.idempotencyKey, status: 'received', at },
          { seq: 900002, serverId: issued.serverId, idempotencyKey: issued.idempotencyKey, status: 'in_review', at },
          { seq: 900003, serverId: 'CS-someone-else', idempotencyKey: issued.idempotencyKey, status: 'rejected', reason: 'x', at },
          { seq: 900004, serverId: 'CS-x', idempotencyKey: 'never-seen-key', status: 'issued', at },
        );
        return { text: JSON.stringify(page) };
      }),
    });
    await hostile.syncNow();
    expect(allRequests(rig.store).find((r) => r.id === issued.id)).toMatchObject({ state: 'issued', documentNumber: issued.documentNumber });
    expect(divergences(rig.store, rig.sim.admin.listRequests())).toEqual([]);
    expect(rig.logs.some((l) => l.message === 'sync.feed_updates_ignored' && l.meta?.backwards === 3 && l.meta?.unknown === 1)).toBe(true);

    // Feed and cursor in one transaction: a failure while applying a page leaves both where they were.
    rig.submit(1, { services: ['vaccination'] });
    const db = rig.store.context.db;
    const cursorBefore = rig.store.syncState.getCursor();
    db.exec(`CREATE TEMP TRIGGER fail_feed BEFORE UPDATE OF server_status ON service_requests WHEN NEW.server_status = 'approved'
             BEGIN SELECT RAISE(ABORT, 'disk failure while applying the feed'); END`);
    rig.clock.advance(60_000);
    await engine.syncNow(); // accepted (intake), review moves on…
    rig.clock.advance(60_000);
    await engine.syncNow(); // …the page with 'approved' fails as a whole
    const stuck = allRequests(rig.store).find((r) => r.service === 'vaccination' && r.state !== 'approved' && r.serverId !== null);
    expect(stuck).toBeDefined();
    const cursorMid = rig.store.syncState.getCursor();
    expect(rig.logs.some((l) => l.message === 'sync.cycle_failed')).toBe(true);
    db.exec(`DROP TRIGGER fail_feed`);
    await driveToConvergence(rig, engine);
    expect(rig.store.syncState.getCursor()).not.toBe(cursorMid);
    expect(cursorBefore).not.toBeNull();
    // Every state change the engine announced moved forward.
    const lastState = new Map<string, string>();
    for (const e of rig.seen.filter((s) => s.event === 'requestStatusChanged')) {
      const p = e.payload as { requestId: string; state: keyof typeof STATE_RANK };
      const prev = lastState.get(p.requestId) as keyof typeof STATE_RANK | undefined;
      if (prev && !(prev === 'sending' && p.state === 'queued')) expect(STATE_RANK[p.state]).toBeGreaterThanOrEqual(STATE_RANK[prev]);
      lastState.set(p.requestId, p.state);
    }
  });

  it('#10 "is it final?" unclear while offline; clocks drift: city-issued numbers stay null until they arrive, drift over 5 minutes is reported, audit keeps desk time', async () => {
    rig = await startRig({ sim: { reviewClock: { receivedToReviewMs: 3_600_000, reviewToDecisionMs: 3_600_000 } } });
    rig.submit(2, { services: [...FIRST_WAVE] });
    const engine = rig.engine();
    await engine.syncNow();
    for (const r of allRequests(rig.store)) expect(r).toMatchObject({ state: 'accepted', documentNumber: null });
    const pending = rig.seen.filter((e) => e.event === 'requestStatusChanged').map((e) => (e.payload as { documentNumber: string | null }).documentNumber);
    expect(pending.every((d) => d === null)).toBe(true);
    rig.clock.advance(2 * 3_600_000 + 1000);
    await engine.syncNow();
    const done = allRequests(rig.store);
    expect(done.every((r) => r.documentNumber !== null)).toBe(true);
    expect(done.find((r) => r.service === 'birth_certificate')!.documentNumber).toMatch(/^[A-Z]\d{9}$/);
    expect(divergences(rig.store, rig.sim.admin.listRequests())).toEqual([]);
    // Audit events of the sync carry the desk's clock.
    const audit = rig.store.audit.list({ limit: 1000 }).filter((a) => a.action.startsWith('sync.'));
    expect(audit.length).toBeGreaterThan(0);
    for (const a of audit) expect(Math.abs(Date.parse(a.at) - rig.clock.nowMs())).toBeLessThan(3 * 3_600_000);

    expect(engine.status()).toMatchObject({ clockDriftWarning: false });
    rig.sim.admin.setFaults({ clockSkewMs: 6 * 60_000 });
    await engine.syncNow();
    const drifted = engine.status();
    expect(drifted.clockDriftWarning).toBe(true);
    expect(Math.abs(drifted.clockDriftMs! - 6 * 60_000)).toBeLessThan(2000);
    expect(rig.logs.some((l) => l.message === 'sync.clock_drift')).toBe(true);
    expect(rig.seen.some((e) => e.event === 'syncProgress' && (e.payload as { clockDriftWarning: boolean }).clockDriftWarning)).toBe(true);
    rig.sim.admin.setFaults({ clockSkewMs: -60_000 });
    await engine.syncNow();
    expect(engine.status().clockDriftWarning).toBe(false);
  });
});
