/**
 * Issue 12: an amended request's correction is stored into the registration (document and lookup columns) in
 * the same transaction as the amended request, audited; a refused amend changes neither.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registration } from '../domain/types';
import { StaleStateError } from './errors';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';
import type { StoredRequest } from './types';

let t: TempStore;
let reg: Registration;
let reqs: StoredRequest[];
const sync = { actor: 'system:sync' };
beforeEach(async () => {
  t = await tempStore();
  reg = makeRegistration(77);
  reqs = t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' }).requests;
});
afterEach(() => t.cleanup());

const reject = (id: string) => {
  t.store.requests.transition(id, { state: 'sending' }, ['queued'], sync);
  t.store.requests.transition(id, { state: 'rejected', reason: 'mother name does not match', serverId: 'S1' }, ['sending'], sync);
};
const names = (name: string) => t.store.registrations.search({ name }).items.map((i) => i.id);

describe('amend stores the correction into the registration (issue 12)', () => {
  it('search, get and the audit trail see the corrected registration; the request is amended with it', () => {
    const id = reqs[0]!.id;
    reject(id);
    const corrected: Registration = { ...reg, mother: { ...reg.mother, name: '欧阳晓雨' }, createdAt: '2030-01-01T00:00:00.000Z' };
    const before = t.store.audit.count();
    const r = t.store.amendments.amend({ registration: corrected, requestId: id, payload: { corrected: true } }, { actor: 'clerk-02' });
    expect(r.request).toMatchObject({ state: 'queued', revision: 2 });
    expect(t.store.registrations.get(reg.id)!.mother.name).toBe('欧阳晓雨');
    expect(t.store.registrations.get(reg.id)!.createdAt).toBe(reg.createdAt); // when it was filed stays
    expect(names('欧阳晓雨')).toEqual([reg.id]);
    expect(names(reg.mother.name)).not.toContain(reg.id);
    expect(t.store.audit.count()).toBe(before + 2);
    const actions = t.store.audit.list({ subjectId: reg.id }).map((e) => e.action);
    expect(actions).toContain('registration.amend');
    const ev = t.store.audit.list({ subjectId: reg.id }).find((e) => e.action === 'registration.amend')!;
    expect(ev.details).toEqual({ requestId: id, changed: ['mother'] });
    expect(JSON.stringify(ev)).not.toContain('欧阳晓雨');
    expect(t.store.verifyAuditChain().ok).toBe(true);
  });

  it('a request that may not be amended leaves the registration as it was (one transaction)', () => {
    const id = reqs[0]!.id; // still queued
    const corrected: Registration = { ...reg, mother: { ...reg.mother, name: '欧阳晓雨' } };
    const before = t.store.audit.count();
    expect(() => t.store.amendments.amend({ registration: corrected, requestId: id, payload: {} }, { actor: 'clerk-02' })).toThrow(StaleStateError);
    expect(t.store.registrations.get(reg.id)!.mother.name).toBe(reg.mother.name);
    expect(names('欧阳晓雨')).toEqual([]);
    expect(t.store.audit.count()).toBe(before);
  });
});
