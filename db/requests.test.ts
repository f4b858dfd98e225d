/**
 * Request state changes: forward only (STATE_RANK), held → queued only via retry, rejected/needs_info →
 * queued only via amend (revision and idempotency key bumped), each change one transaction with its audit event.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REQUEST_STATES, STATE_RANK, type RequestState } from '../domain/codes';
import { BackwardTransitionError, InvalidInputError, NotFoundError, StaleStateError } from './errors';
import { nextRevision, transitionRefusal } from './requests-repo';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';
import type { StoredRequest } from './types';

let t: TempStore;
let reqs: StoredRequest[];
const clock = { now: new Date('2026-03-15T02:00:00Z') };
beforeEach(async () => {
  t = await tempStore({ now: () => clock.now });
  const reg = makeRegistration(9);
  reqs = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).requests;
});
afterEach(() => t.cleanup());

const sync = { actor: 'system:sync' };
const auditCount = () => t.store.audit.count();

describe('transitionRefusal (the rules table)', () => {
  it('never allows a move to a lower rank except sending → queued', () => {
    for (const from of REQUEST_STATES) {
      for (const to of REQUEST_STATES) {
        const refusal = transitionRefusal(from, to);
        if (STATE_RANK[to] < STATE_RANK[from] && !(from === 'sending' && to === 'queued')) expect(refusal, `${from}→${to}`).not.toBeNull();
        if (from === 'held' && to !== 'held') expect(refusal, `${from}→${to}`).toMatch(/retry/);
      }
    }
    expect(transitionRefusal('rejected', 'queued')).toMatch(/amend/);
    expect(transitionRefusal('needs_info', 'queued')).toMatch(/amend/);
    expect(transitionRefusal('queued', 'sending')).toBeNull();
    expect(transitionRefusal('in_review', 'needs_info')).toBeNull();
    expect(transitionRefusal('needs_info', 'approved')).toBeNull();
    expect(transitionRefusal('approved', 'issued')).toBeNull();
    expect(transitionRefusal('issued', 'rejected')).not.toBeNull();
  });
});

describe('requests', () => {
  it('amend keys: the domain form bumps its revision; another key gets `:revision` appended', () => {
    const reg = '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80';
    expect(nextRevision({ registrationId: reg, service: 'vaccination', revision: 1, idempotencyKey: `${reg}:vaccination:1` })).toEqual({ revision: 2, idempotencyKey: `${reg}:vaccination:2` });
    // A row written before revisions were tracked (revision 0) still gets a fresh key.
    expect(nextRevision({ registrationId: reg, service: 'vaccination', revision: 0, idempotencyKey: `${reg}:vaccination:1` })).toEqual({ revision: 2, idempotencyKey: `${reg}:vaccination:2` });
    expect(nextRevision({ registrationId: reg, service: 'vaccination', revision: 0, idempotencyKey: 'k-123456' })).toEqual({ revision: 1, idempotencyKey: 'k-123456:1' });
    expect(nextRevision({ registrationId: reg, service: 'vaccination', revision: 1, idempotencyKey: 'k-123456:1' })).toEqual({ revision: 2, idempotencyKey: 'k-123456:2' });
  });

  it('lists, gets and counts', () => {
    const reg = reqs[0]!.registrationId;
    expect(t.store.requests.listForRegistration(reg).map((r) => r.id)).toEqual(reqs.map((r) => r.id));
    expect(t.store.requests.get(reqs[1]!.id)).toEqual(reqs[1]);
    expect(t.store.requests.get('0195a3c2-7b4e-7c1d-9f2a-000000000000')).toBeNull();
    expect(t.store.requests.countByState()).toMatchObject({ queued: 5, sending: 0, held: 0 });
    expect(t.store.requests.queueDepth()).toBe(5);
  });

  it('moves forward through the states with one audit event per change', () => {
    const id = reqs[0]!.id;
    const before = auditCount();
    const steps: [RequestState, RequestState, Record<string, unknown>][] = [
      ['queued', 'sending', { leaseOwner: 'sync-1', leaseUntil: '2026-03-15T02:01:00Z', attempts: 1 }],
      ['sending', 'accepted', { serverId: 'SRV-1', serverStatus: 'received', leaseOwner: null, leaseUntil: null }],
      ['accepted', 'in_review', { serverStatus: 'reviewing' }],
      ['in_review', 'issued', { documentNumber: 'Q123456789' }],
    ];
    for (const [from, to, extra] of steps) {
      const r = t.store.requests.transition(id, { state: to, ...extra }, [from], { ...sync, action: 'request.status' });
      expect(r.state).toBe(to);
    }
    const r = t.store.requests.get(id)!;
    expect(r).toMatchObject({ state: 'issued', serverId: 'SRV-1', documentNumber: 'Q123456789', attempts: 1, leaseOwner: null, leaseUntil: null });
    expect(auditCount()).toBe(before + 4);
    const last = t.store.audit.list({ subjectId: id, limit: 1 })[0]!;
    expect(last).toMatchObject({ action: 'request.status', actor: 'system:sync', details: { from: 'in_review', to: 'issued' } });
    expect(t.store.requests.queueDepth()).toBe(4);
    expect(t.store.verifyAuditChain().ok).toBe(true);
  });

  it('refuses a backward move (typed error) and changes nothing', () => {
    const id = reqs[0]!.id;
    t.store.requests.transition(id, { state: 'sending' }, ['queued'], sync);
    t.store.requests.transition(id, { state: 'accepted', serverId: 'S' }, ['sending'], sync);
    const before = { req: t.store.requests.get(id), audit: auditCount() };
    for (const to of ['queued', 'sending', 'held'] as const) {
      let err: unknown;
      try {
        t.store.requests.transition(id, { state: to }, ['accepted'], sync);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BackwardTransitionError);
      expect(err).toMatchObject({ code: 'db.state_backwards', from: 'accepted', to });
    }
    expect(t.store.requests.get(id)).toEqual(before.req);
    expect(auditCount()).toBe(before.audit);
  });

  it('refuses when the request is not in an expected state (someone moved it first)', () => {
    const id = reqs[0]!.id;
    expect(() => t.store.requests.transition(id, { state: 'accepted' }, ['sending'], sync)).toThrow(StaleStateError);
    expect(() => t.store.requests.transition('0195a3c2-7b4e-7c1d-9f2a-000000000000', { state: 'sending' }, ['queued'], sync)).toThrow(NotFoundError);
  });

  it('allows sending → queued (an attempt failed before acceptance) with backoff bookkeeping', () => {
    const id = reqs[0]!.id;
    t.store.requests.transition(id, { state: 'sending', leaseOwner: 'w', leaseUntil: '2026-03-15T02:01:00Z' }, ['queued'], sync);
    const r = t.store.requests.transition(
      id,
      { state: 'queued', attempts: 1, nextAttemptAt: '2026-03-15T10:00:30+08:00', lastError: 'HTTP 503', leaseOwner: null, leaseUntil: null },
      ['sending'],
      sync,
    );
    expect(r).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: '2026-03-15T02:00:30.000Z', lastError: 'HTTP 503', leaseOwner: null });
  });

  it('held → queued only through retry', () => {
    const id = reqs[0]!.id;
    t.store.requests.transition(id, { state: 'held', lastError: 'E_SCHEMA', attempts: 3 }, ['queued'], sync);
    expect(() => t.store.requests.transition(id, { state: 'queued' }, ['held'], sync)).toThrow(/retry/);
    expect(() => t.store.requests.transition(id, { state: 'sending' }, ['held'], sync)).toThrow(BackwardTransitionError);
    clock.now = new Date('2026-03-15T03:00:00Z');
    const r = t.store.requests.retry(id, { actor: 'clerk-01' });
    expect(r).toMatchObject({ state: 'queued', attempts: 0, lastError: null, nextAttemptAt: '2026-03-15T03:00:00.000Z' });
    expect(t.store.audit.list({ subjectId: id, limit: 1 })[0]).toMatchObject({ action: 'request.retry', actor: 'clerk-01' });
    expect(() => t.store.requests.retry(id, { actor: 'clerk-01' })).toThrow(StaleStateError);
  });

  it('rejected / needs_info → queued only through amend: revision, key and payload replaced', () => {
    const id = reqs[0]!.id;
    const base = `${reqs[0]!.registrationId}:${reqs[0]!.service}`;
    expect(reqs[0]).toMatchObject({ revision: 1, idempotencyKey: `${base}:1` });
    t.store.requests.transition(id, { state: 'sending' }, ['queued'], sync);
    t.store.requests.transition(id, { state: 'rejected', reason: 'mother ID invalid', serverId: 'S1' }, ['sending'], sync);
    expect(() => t.store.requests.transition(id, { state: 'queued' }, ['rejected'], sync)).toThrow(/amend/);
    const r1 = t.store.requests.amend(id, { corrected: true }, { actor: 'clerk-01' });
    expect(r1).toMatchObject({ state: 'queued', revision: 2, idempotencyKey: `${base}:2`, payload: { corrected: true }, serverId: null, reason: null, attempts: 0 });
    t.store.requests.transition(id, { state: 'sending' }, ['queued'], sync);
    t.store.requests.transition(id, { state: 'accepted', serverId: 'S2' }, ['sending'], sync);
    t.store.requests.transition(id, { state: 'needs_info', reason: 'photo' }, ['accepted'], sync);
    const r2 = t.store.requests.amend(id, { corrected: 2 }, { actor: 'clerk-01' });
    expect(r2).toMatchObject({ revision: 3, idempotencyKey: `${base}:3`, payload: { corrected: 2 } });
    expect(() => t.store.requests.amend(id, {}, { actor: 'clerk-01' })).toThrow(StaleStateError);
    expect(t.store.audit.list({ subjectId: id }).filter((e) => e.action === 'request.amend').length).toBe(2);
  });

  it('a held request (refused by the city at intake) can be corrected through amend, with a new key', () => {
    const id = reqs[1]!.id;
    const base = `${reqs[1]!.registrationId}:${reqs[1]!.service}`;
    t.store.requests.transition(id, { state: 'sending' }, ['queued'], sync);
    t.store.requests.transition(id, { state: 'held', reason: 'mother.docNumber: check digit' }, ['sending'], sync);
    const r = t.store.requests.amend(id, { corrected: true }, { actor: 'clerk-01' });
    expect(r).toMatchObject({ state: 'queued', revision: 2, idempotencyKey: `${base}:2`, payload: { corrected: true }, reason: null });
  });

  it('refuses malformed patches and arguments, writing nothing', () => {
    const id = reqs[0]!.id;
    const before = { req: t.store.requests.get(id), audit: auditCount() };
    const bad: [() => unknown, RegExp][] = [
      [() => t.store.requests.transition(id, { state: 'lost' as never }, ['queued'], sync), /state/],
      [() => t.store.requests.transition(id, { attempts: -1 }, ['queued'], sync), /attempts/],
      [() => t.store.requests.transition(id, { nextAttemptAt: 'soon' }, ['queued'], sync), /nextAttemptAt/],
      [() => t.store.requests.transition(id, { payload: {} } as never, ['queued'], sync), /payload/],
      [() => t.store.requests.transition(id, { state: 'sending' }, [], sync), /expected states/],
      [() => t.store.requests.transition(id, { state: 'sending' }, ['queued'], { actor: '' }), /actor/],
      [() => t.store.requests.transition(id, { state: 'sending' }, ['queued'], { ...sync, details: { phone: '13900000000' } }), /phone/],
      [() => t.store.requests.get(42 as never), /request id/],
      [() => t.store.requests.amend(id, [] as never, sync), /payload/],
    ];
    for (const [f, pattern] of bad) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, String(pattern)).toBeInstanceOf(InvalidInputError);
      expect((err as Error).message).toMatch(pattern);
    }
    expect(t.store.requests.get(id)).toEqual(before.req);
    expect(auditCount()).toBe(before.audit);
  });
});
