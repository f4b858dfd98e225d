/**
 * db/sync-repo.ts on a real encrypted store: claims under a lease (order, due time, dependencies, count and byte
 * bounds, the attempt recorded before it is made), results recorded only under one's own lease, the feed applied
 * forward-only with its cursor in the same transaction, dependants of a rejected request held.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_STATES, STATE_RANK, type Service } from '../domain/codes';
import { STATUS_FEED } from './sync-state-repo';
import { createSyncRepo, DUE_QUEUED_SQL, movesForward, type ClaimOptions, type SyncRepo } from './sync-repo';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';
import type { StoredRequest } from './types';

let t: TempStore;
let repo: SyncRepo;
let clock = Date.parse('2026-03-15T02:00:00Z');
const now = () => new Date(clock);

beforeEach(async () => {
  clock = Date.parse('2026-03-15T02:00:00Z');
  t = await tempStore({ now });
  repo = createSyncRepo(t.store);
});
afterEach(() => t.cleanup());

function submit(seed: number, services?: Service[]): StoredRequest[] {
  const reg = makeRegistration(seed, { createdAt: now().toISOString(), ...(services ? { services } : {}) });
  clock += 1000; // creation order = submit order
  return t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).requests;
}

const claim = (o: Partial<ClaimOptions> = {}) =>
  repo.claimDue({ now: now(), owner: 'A', leaseMs: 30_000, maxItems: 50, maxBytes: 1_000_000, sizeOf: () => 100, backoffMs: () => 4000, ...o });

const byService = (rs: StoredRequest[]) => Object.fromEntries(rs.map((r) => [r.service, r]));

describe('claimDue', () => {
  it('reads the due rows oldest first from the queue index: no sort of every due row (issue 14: 84 ms a claim at 10,000 queued)', () => {
    const plan = t.store.context.db.prepare(`EXPLAIN QUERY PLAN ${DUE_QUEUED_SQL}`).all({ now: now().toISOString(), limit: 50 }) as { detail: string }[];
    const details = plan.map((p) => p.detail).join(' | ');
    expect(details).toMatch(/USING INDEX service_requests_queue/);
    // Only ties on created_at (one bundle's few rows) are put in rowid order; never a sort of every due row.
    expect(details).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
  });


  it('claims due, dependency-free requests oldest first and records the attempt before it is made', () => {
    const a = submit(1);
    submit(2);
    const got = claim();
    // Only what waits for nothing: birth certificate and vaccination of each bundle, in creation order.
    expect(got.map((r) => r.service)).toEqual(['birth_certificate', 'vaccination', 'birth_certificate', 'vaccination']);
    expect(got[0]!.registrationId).toBe(a[0]!.registrationId);
    const row = t.store.requests.get(got[0]!.id)!;
    expect(row).toMatchObject({ state: 'sending', attempts: 1, leaseOwner: 'A' });
    expect(row.leaseUntil).toBe(new Date(clock + 30_000).toISOString());
    expect(row.nextAttemptAt).toBe(new Date(clock + 4000).toISOString());
    expect(row.lastError).toMatch(/attempt 1 did not finish/);
    expect(got[0]!.attempt).toBe(1);
  });

  it('is bounded by count and by bytes; a request larger than the byte bound goes alone', () => {
    for (let i = 0; i < 6; i++) submit(10 + i, ['vaccination']);
    expect(claim({ maxItems: 4 })).toHaveLength(4);
    clock += 60_000;
    const sizes = new Map<string, number>();
    const page = claim({ owner: 'B', maxBytes: 250, sizeOf: (r) => sizes.get(r.id) ?? (sizes.set(r.id, 120), 120) });
    expect(page).toHaveLength(2);
    clock += 60_000;
    expect(claim({ owner: 'C', maxBytes: 50, sizeOf: () => 5000 })).toHaveLength(1);
  });

  it('never gives a leased request to another owner until the lease expires', () => {
    submit(3, ['vaccination']);
    expect(claim({ owner: 'A' })).toHaveLength(1);
    expect(claim({ owner: 'B' })).toHaveLength(0);
    clock += 30_001;
    const again = claim({ owner: 'B' });
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ attempts: 2, leaseOwner: 'B', attempt: 2 });
  });

  it('fills the dependency field from the dependency\'s document number and stores that payload before sending', () => {
    const rs = byService(submit(4));
    // Birth certificate issued by the city (through the feed).
    claim();
    repo.recordResults('A', [{ id: rs.birth_certificate!.id, kind: 'accepted', serverId: 'CS-1', serverStatus: 'received', state: 'accepted' }], now());
    repo.applyFeedPage([{ serverId: 'CS-1', idempotencyKey: rs.birth_certificate!.idempotencyKey, status: 'issued', documentNumber: 'B123456789' }], 'c1', now());
    clock += 60_000;
    const page = byService(claim({ owner: 'B' }));
    expect(Object.keys(page).sort()).toEqual(['household_registration', 'maternity_insurance', 'vaccination']);
    expect(page.maternity_insurance!.payload.birthCertificateNumber).toBe('B123456789');
    expect(t.store.requests.get(rs.household_registration!.id)!.payload.birthCertificateNumber).toBe('B123456789');
    // The citizen card still waits for the child's ID number.
    expect(repo.waitingFor(rs.citizen_card!.id)).toEqual(['household_registration']);
  });
});

describe('recordResults', () => {
  it('applies outcomes only under the caller\'s own lease, and a retry never brings the next attempt closer', () => {
    const [r1, r2, r3] = submit(5, ['birth_certificate', 'vaccination', 'maternity_insurance']);
    claim();
    const changes = repo.recordResults(
      'B',
      [{ id: r1!.id, kind: 'accepted', serverId: 'CS-9', serverStatus: 'received', state: 'accepted' }],
      now(),
    );
    expect(changes).toEqual([]);
    const notBefore = new Date(clock + 120_000);
    const ch = repo.recordResults(
      'A',
      [
        { id: r1!.id, kind: 'accepted', serverId: 'CS-1', serverStatus: 'in_review', state: 'in_review' },
        { id: r2!.id, kind: 'retry', lastError: '503 Service unavailable', notBefore },
      ],
      now(),
    );
    expect(ch.map((c) => c.request.state)).toEqual(['in_review', 'queued']);
    expect(t.store.requests.get(r1!.id)).toMatchObject({ serverId: 'CS-1', leaseOwner: null, lastError: null, nextAttemptAt: null });
    expect(t.store.requests.get(r2!.id)).toMatchObject({ state: 'queued', lastError: '503 Service unavailable', nextAttemptAt: notBefore.toISOString() });
    expect(t.store.requests.get(r3!.id)!.state).toBe('queued'); // waits for the birth certificate: never claimed
  });

  it('holds a refused request with its reason and writes audit events with the desk time', () => {
    const [r1] = submit(6, ['vaccination']);
    claim();
    repo.recordResults('A', [{ id: r1!.id, kind: 'held', reason: 'The city refused this request at intake: x', lastError: 'rejected at intake' }], now());
    expect(t.store.requests.get(r1!.id)).toMatchObject({ state: 'held', reason: 'The city refused this request at intake: x' });
    const ev = t.store.audit.list({ subjectId: r1!.id });
    expect(ev[0]).toMatchObject({ actor: 'sync', action: 'sync.held', at: now().toISOString() });
    expect(t.store.verifyAuditChain().ok).toBe(true);
  });
});

describe('applyFeedPage', () => {
  it('moves forward only, ignores held requests, unknown keys and foreign server ids, and stores the cursor', () => {
    const rs = byService(submit(7, ['birth_certificate', 'vaccination']));
    claim();
    repo.recordResults('A', [{ id: rs.birth_certificate!.id, kind: 'held', reason: 'r', lastError: 'e' }], now());
    const bc = rs.birth_certificate!;
    const vac = rs.vaccination!;
    const res = repo.applyFeedPage(
      [
        { serverId: 'CS-v', idempotencyKey: vac.idempotencyKey, status: 'approved', documentNumber: 'V1' },
        { serverId: 'CS-v', idempotencyKey: vac.idempotencyKey, status: 'received' },
        { serverId: 'CS-other', idempotencyKey: vac.idempotencyKey, status: 'rejected', reason: 'no' },
        { serverId: 'CS-b', idempotencyKey: bc.idempotencyKey, status: 'issued', documentNumber: 'B1' },
        { serverId: 'CS-z', idempotencyKey: 'nobody', status: 'issued' },
      ],
      'cursor-1',
      now(),
    );
    expect(res).toMatchObject({ unknown: 1, ignored: 3, documents: 1 });
    // The feed reached the request while it was still being sent (its batch answer was lost): the lease goes.
    expect(t.store.requests.get(vac.id)).toMatchObject({ state: 'approved', serverId: 'CS-v', documentNumber: 'V1', leaseOwner: null });
    expect(t.store.requests.get(bc.id)!.state).toBe('held');
    expect(t.store.syncState.getCursor(STATUS_FEED)).toBe('cursor-1');
  });

  it('applies nothing when the page cannot be stored with its cursor (one transaction)', () => {
    const [v] = submit(8, ['vaccination']);
    expect(() =>
      repo.applyFeedPage([{ serverId: 'CS-v', idempotencyKey: v!.idempotencyKey, status: 'in_review' }], 'x'.repeat(600), now()),
    ).toThrow(/cursor/);
    expect(t.store.requests.get(v!.id)!.state).toBe('queued');
    expect(t.store.syncState.getCursor()).toBeNull();
  });

  it('holds the queued dependants of a rejected request, saying which one they wait for', () => {
    const rs = byService(submit(9));
    claim();
    repo.recordResults('A', [{ id: rs.birth_certificate!.id, kind: 'accepted', serverId: 'CS-b', serverStatus: 'received', state: 'accepted' }], now());
    repo.applyFeedPage([{ serverId: 'CS-b', idempotencyKey: rs.birth_certificate!.idempotencyKey, status: 'rejected', reason: 'no' }], 'c', now());
    const held = repo.holdBlockedDependants(now());
    expect(held.map((c) => c.request.service).sort()).toEqual(['household_registration', 'maternity_insurance']);
    expect(t.store.requests.get(rs.maternity_insurance!.id)!.reason).toMatch(/Waits for birth_certificate, which the city rejected/);
    expect(t.store.requests.get(rs.citizen_card!.id)!.state).toBe('queued');
  });
});

it('movesForward never lets a status go backwards and never leaves held', () => {
  fc.assert(
    fc.property(fc.constantFrom(...REQUEST_STATES), fc.constantFrom(...REQUEST_STATES), (from, to) => {
      if (!movesForward(from, to)) return;
      expect(from).not.toBe('held');
      expect(STATE_RANK[to]).toBeGreaterThanOrEqual(STATE_RANK[from]);
    }),
  );
});
