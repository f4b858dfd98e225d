/**
 * Issue 14: a bundle's shared payload head is stored once (db/payload-share.ts). What is read and what is sent
 * are the exact bytes of the payload as derived, on every attempt of one key; rows written by a desk at schema 10
 * (whole payloads) are sent with their bytes unchanged after migration 11; an amendment changes only its own
 * request's payload, as before.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openConnection } from './connection';
import { FileKeyProvider } from './key-provider';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { sharedHead, splitPayload } from './payload-share';
import { REGISTRATION_DOC_INSERT, REGISTRATION_INSERT, registrationRow } from './registration-row';
import { openStore, type Store } from './store';
import { createSyncRepo, type ClaimOptions, type SyncRepo } from './sync-repo';
import { makeRegistration, makeRequests, tempDir, tempStore, type TempStore } from './test-helpers';

const NOW = new Date('2026-03-15T02:00:00Z');
const claimOpts = (o: Partial<ClaimOptions> = {}): ClaimOptions => ({
  now: NOW, owner: 'A', leaseMs: 30_000, maxItems: 50, maxBytes: 10_000_000, sizeOf: () => 100, backoffMs: () => 0, ...o,
});
const claimAll = (repo: SyncRepo) => Object.fromEntries(repo.claimDue(claimOpts()).map((r) => [r.idempotencyKey, r.payloadJson]));

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('the shared head', () => {
  it('is the leading members every payload has alike; splitting and splicing gives back the same text', () => {
    const reqs = makeRequests(makeRegistration(3));
    const texts = reqs.map((r) => JSON.stringify(r.payload));
    const head = sharedHead(reqs.map((r) => r.payload), texts)!;
    expect(head.startsWith('{"registrationId":')).toBe(true);
    expect(head.endsWith(',')).toBe(true);
    for (const t of texts) {
      const { stored, shared } = splitPayload(t, head);
      expect(shared).toBe(1);
      expect(() => JSON.parse(stored) as unknown).not.toThrow();
      expect(head + stored.slice(1)).toBe(t);
    }
    expect(sharedHead([reqs[0]!.payload], [texts[0]!])).toBeNull();
    expect(splitPayload('{"a":1}', head)).toEqual({ stored: '{"a":1}', shared: 0 });
  });
});

describe('a bundle stored with its head once', () => {
  let t: TempStore;
  afterEach(() => t.cleanup());

  it('stores far fewer payload bytes, reads and sends exactly the derived bytes, the same on a retry', async () => {
    t = await tempStore({ now: () => NOW });
    const reg = makeRegistration(11, { createdAt: NOW.toISOString() });
    const reqs = makeRequests(reg);
    const want = Object.fromEntries(reqs.map((r) => [r.idempotencyKey, JSON.stringify(r.payload)]));
    t.store.registrations.submit({ registration: reg, requests: reqs, actor: 'clerk-01' });
    const db = t.store.context.db;
    const stored = db.prepare(`SELECT sum(length(payload)) FROM service_requests`).pluck().get() as number;
    const whole = Object.values(want).reduce((n, s) => n + s.length, 0);
    expect(stored).toBeLessThan(whole * 0.5);
    for (const r of t.store.requests.listForRegistration(reg.id)) expect(JSON.stringify(r.payload)).toBe(want[r.idempotencyKey]);

    const repo = createSyncRepo(t.store);
    const first = claimAll(repo);
    expect(Object.keys(first)).toHaveLength(2); // the others wait for numbers
    for (const [k, p] of Object.entries(first)) expect(p).toBe(want[k]);
    repo.releaseLeases('A', 'stopped', NOW);
    expect(claimAll(repo)).toEqual(first);

    // A dependant gets its number filled in; its retries send those same bytes.
    const bc = t.store.requests.listForRegistration(reg.id).find((r) => r.service === 'birth_certificate')!;
    repo.recordResults('A', [{ id: bc.id, kind: 'accepted', serverId: 'CS-1', serverStatus: 'received', state: 'accepted' }], NOW);
    repo.applyFeedPage([{ serverId: 'CS-1', idempotencyKey: bc.idempotencyKey, status: 'issued', documentNumber: 'B123456789' }], 'c1', NOW);
    repo.releaseLeases('A', 'stopped', NOW);
    const second = claimAll(repo);
    const filled = Object.entries(second).filter(([, p]) => p.includes('B123456789'));
    expect(filled.length).toBe(2);
    for (const [k, p] of filled) expect(p).toBe(want[k]!.replace('"birthCertificateNumber":null', '"birthCertificateNumber":"B123456789"'));
    repo.releaseLeases('A', 'stopped', NOW);
    expect(claimAll(repo)).toEqual(second);
  });

  it('an amendment changes its own request only: the bundle\'s other queued requests send their bytes as derived at submit', async () => {
    t = await tempStore({ now: () => NOW });
    const reg = makeRegistration(12, { createdAt: NOW.toISOString() });
    const reqs = makeRequests(reg);
    const want = Object.fromEntries(reqs.map((r) => [r.idempotencyKey, JSON.stringify(r.payload)]));
    t.store.registrations.submit({ registration: reg, requests: reqs, actor: 'clerk-01' });
    const repo = createSyncRepo(t.store);
    const vac = reqs.find((r) => r.service === 'vaccination')!;
    repo.claimDue(claimOpts());
    repo.recordResults('A', [{ id: vac.id, kind: 'held', reason: 'refused', lastError: 'rejected at intake' }], NOW);
    repo.releaseLeases('A', 'stopped', NOW);
    const amended = { ...reg, child: { ...reg.child, weightG: reg.child.weightG + 1 } };
    const newPayload = makeRequests(amended).find((r) => r.service === 'vaccination')!.payload;
    const { request } = t.store.amendments.amend({ registration: amended, requestId: vac.id, payload: newPayload }, { actor: 'clerk-01' });
    expect(JSON.stringify(request.payload)).toBe(JSON.stringify(newPayload));
    const sent = claimAll(repo);
    expect(sent[request.idempotencyKey]).toBe(JSON.stringify(newPayload));
    const bcKey = reqs.find((r) => r.service === 'birth_certificate')!.idempotencyKey;
    expect(sent[bcKey]).toBe(want[bcKey]);
  });
});

describe('a desk at schema 10 with queued requests', () => {
  it('migrates to 11 and sends every queued request with the bytes it stored', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'desk.db');
    const keyFile = path.join(dir, 'desk.key');
    const key = await new FileKeyProvider(keyFile).getKey();
    const old = openConnection({ file, key });
    migrate(old, file, MIGRATIONS.filter((m) => m.id <= 10), NOW.toISOString());
    expect(old.pragma('user_version', { simple: true })).toBe(10);
    const want: Record<string, string> = {};
    const insReq = old.prepare(`INSERT INTO service_requests (id, registration_id, service, jurisdiction, depends_on, payload, idempotency_key,
      revision, state, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'queued', 0, ?, ?, ?)`);
    const regIds: string[] = [];
    for (const seed of [21, 22]) {
      const reg = makeRegistration(seed, { createdAt: NOW.toISOString() });
      regIds.push(reg.id);
      const values = registrationRow(reg);
      const { lastInsertRowid } = old.prepare(REGISTRATION_INSERT).run(values);
      old.prepare(REGISTRATION_DOC_INSERT).run({ seq: lastInsertRowid, contentHash: values.contentHash, doc: values.doc });
      for (const r of makeRequests(reg)) {
        // A v10 desk stored the payload whole (key order and all, as JSON.stringify wrote it).
        const text = JSON.stringify(r.payload);
        want[r.idempotencyKey] = text;
        const at = NOW.toISOString();
        insReq.run(r.id, reg.id, r.service, r.jurisdiction, JSON.stringify(r.dependsOn), text, r.idempotencyKey, at, at, at);
      }
    }
    old.close();

    const store: Store = await openStore({ file, keyProvider: new FileKeyProvider(keyFile), now: () => NOW });
    cleanups.push(() => store.close());
    expect(store.context.db.pragma('user_version', { simple: true })).toBe(11);
    const repo = createSyncRepo(store);
    const sent = claimAll(repo);
    expect(Object.keys(sent)).toHaveLength(4);
    for (const [k, p] of Object.entries(sent)) expect(p).toBe(want[k]);
    repo.releaseLeases('A', 'stopped', NOW);
    expect(claimAll(repo)).toEqual(sent);
    const listed = store.requests.listForRegistration(regIds[0]!);
    expect(listed).toHaveLength(5);
    for (const r of listed) expect(JSON.stringify(r.payload)).toBe(want[r.idempotencyKey]);
  });
});
