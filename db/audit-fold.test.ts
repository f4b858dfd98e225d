/**
 * Issue 14: a registration synced from submit to issued accumulates few audit events (16 before: one per request
 * per accept and per status, 42 % of the file): the batch's acceptances and a feed page's progress are one event
 * each; the chain still verifies and no personal data is in the details.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncRepo, type SyncRepo } from './sync-repo';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';

let t: TempStore;
let repo: SyncRepo;
const NOW = new Date('2026-03-15T02:00:00Z');
beforeEach(async () => {
  t = await tempStore({ now: () => NOW });
  repo = createSyncRepo(t.store);
});
afterEach(() => t.cleanup());

/** Drains like the engine would against a city that accepts everything and issues at once. */
function drain(): void {
  let serial = 0;
  for (let round = 0; round < 10; round++) {
    const claimed = repo.claimDue({ now: NOW, owner: 'A', leaseMs: 30_000, maxItems: 50, maxBytes: 10_000_000, sizeOf: () => 100, backoffMs: () => 0 });
    if (claimed.length === 0) return;
    const ids = claimed.map((r) => ({ r, serverId: `CS-${++serial}` }));
    repo.recordResults('A', ids.map(({ r, serverId }) => ({ id: r.id, kind: 'accepted' as const, serverId, serverStatus: 'received', state: 'accepted' as const })), NOW);
    repo.applyFeedPage(ids.map(({ r, serverId }) => ({ serverId, idempotencyKey: r.idempotencyKey, status: 'in_review' })), `c${round}a`, NOW);
    repo.applyFeedPage(
      ids.map(({ r, serverId }) => ({ serverId, idempotencyKey: r.idempotencyKey, status: 'issued', documentNumber: `D${serverId.slice(3).padStart(8, '0')}` })),
      `c${round}b`,
      NOW,
    );
  }
  throw new Error('did not drain');
}

describe('audit events per synced registration', () => {
  it('are at most 4 from submit through issued for a five-service bundle, and the chain verifies', () => {
    const regs = [1, 2, 3, 4].map((seed) => makeRegistration(seed, { createdAt: NOW.toISOString() }));
    for (const reg of regs) t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
    drain();
    const counts = t.store.requests.countByState();
    expect(counts.issued).toBe(regs.length * 5);
    const events = t.store.audit.count();
    expect(events / regs.length).toBeLessThanOrEqual(4);
    expect(t.store.audit.verifyChain()).toMatchObject({ ok: true, count: events });
    const all = t.store.audit.list({ limit: 1000 });
    const accepted = all.filter((e) => e.action === 'sync.accepted_batch').flatMap((e) => e.details.accepted as [string, string][]);
    expect(accepted).toHaveLength(regs.length * 5);
    expect(accepted.every(([id, serverId]) => typeof id === 'string' && serverId.startsWith('CS-'))).toBe(true);
    const numbered = all.filter((e) => e.action === 'sync.feed_page').flatMap((e) => e.details.numbered as string[]);
    expect(new Set(numbered).size).toBe(regs.length * 5);
    const text = JSON.stringify(all.map((e) => e.details));
    for (const reg of regs) {
      expect(text).not.toContain(reg.mother.docNumber);
      expect(text).not.toContain(reg.mother.name);
    }
  });

  it('a rejection stays an event of its own, on the request', () => {
    const reg = makeRegistration(9, { createdAt: NOW.toISOString() });
    const [bc] = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).requests;
    repo.claimDue({ now: NOW, owner: 'A', leaseMs: 30_000, maxItems: 50, maxBytes: 10_000_000, sizeOf: () => 100, backoffMs: () => 0 });
    repo.recordResults('A', [{ id: bc!.id, kind: 'accepted', serverId: 'CS-1', serverStatus: 'received', state: 'accepted' }], NOW);
    repo.applyFeedPage([{ serverId: 'CS-1', idempotencyKey: bc!.idempotencyKey, status: 'rejected', reason: 'wrong' }], 'c1', NOW);
    expect(t.store.audit.list({ subjectId: bc!.id }).map((e) => [e.action, e.details.to])).toEqual([['sync.status', 'rejected']]);
  });
});
