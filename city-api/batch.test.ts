/** Batch intake: idempotency (duplicate, conflict, 50 concurrent copies), bounds (413), bad bodies (400/415). */
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_BYTES, PROBLEM_TYPES, type StoredRequest } from './contract';
import { simPerSuite } from './test-fixture';
import { basePayload, call, item, MOTHER_ID, wrongCheck } from './testkit';

describe('batch intake', () => {
  const suite = simPerSuite();

  const stored = async (key: string): Promise<StoredRequest[]> =>
    (await suite.t.admin(`/admin/requests?key=${encodeURIComponent(key)}`)).json.requests;

  it('accepts new items (status received) and answers one result per item, in order', async () => {
    const items = [item('birth_certificate'), item('vaccination'), item('birth_certificate')];
    const r = await suite.desk.batch(items);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json.results.map((x: { idempotencyKey: string }) => x.idempotencyKey)).toEqual(items.map((i) => i.idempotencyKey));
    for (const res of r.json.results) {
      expect(res).toMatchObject({ outcome: 'accepted', status: 'received' });
      expect(res.serverId).toMatch(/^CS-/);
    }
    expect(new Set(r.json.results.map((x: { serverId: string }) => x.serverId)).size).toBe(3);
  });

  it('answers the same key with the same content as duplicate, same server id, current status', async () => {
    const it1 = item('birth_certificate');
    const first = await suite.desk.batch([it1]);
    // Same content with keys in another order: canonical JSON makes it the same fingerprint.
    const reordered = Object.fromEntries(Object.entries({ ...it1, payload: Object.fromEntries(Object.entries(it1.payload).reverse()) }).reverse());
    const second = await suite.desk.batch([reordered]);
    expect(second.json.results[0]).toEqual({
      idempotencyKey: it1.idempotencyKey,
      outcome: 'duplicate',
      serverId: first.json.results[0].serverId,
      status: 'received',
    });
    suite.t.sim.admin.advance(10_000);
    const third = await suite.desk.batch([it1]);
    expect(third.json.results[0]).toMatchObject({ outcome: 'duplicate', status: 'issued' });
    const rows = await stored(it1.idempotencyKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.intakeCount).toBe(3);
  });

  it('answers the same key with other content as conflict and changes nothing', async () => {
    const original = item('birth_certificate');
    const first = await suite.desk.batch([original]);
    const changed = { ...original, payload: { ...original.payload, child: { ...(original.payload.child as object), weightG: 3000 } } };
    const r = await suite.desk.batch([changed]);
    expect(r.json.results[0]).toMatchObject({ idempotencyKey: original.idempotencyKey, outcome: 'conflict' });
    expect(r.json.results[0].serverId).toBeUndefined();
    expect(r.json.results[0].errors[0]).toMatchObject({ path: 'idempotencyKey', code: 'key_reused' });
    const otherService = await suite.desk.batch([{ ...original, service: 'vaccination' }]);
    expect(otherService.json.results[0].outcome).toBe('conflict');
    const rows = await stored(original.idempotencyKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ serverId: first.json.results[0].serverId, service: 'birth_certificate', intakeCount: 1, conflictCount: 2 });
    // The original content is still a duplicate.
    expect((await suite.desk.batch([original])).json.results[0].outcome).toBe('duplicate');
  });

  it('does not store a rejected item; the corrected item under a new key is accepted', async () => {
    const bad = item('birth_certificate', { ...basePayload(), mother: { ...(basePayload().mother as object), docNumber: wrongCheck(MOTHER_ID) } });
    const r = await suite.desk.batch([bad, item('vaccination')]);
    expect(r.json.results[0]).toMatchObject({ outcome: 'rejected' });
    expect(r.json.results[0].errors).toEqual([{ path: 'payload.mother.docNumber', code: 'invalid_check_digit', message: expect.stringContaining('check') }]);
    expect(r.json.results[1].outcome).toBe('accepted');
    expect(await stored(bad.idempotencyKey)).toEqual([]);
    const fixed = item('birth_certificate');
    expect((await suite.desk.batch([fixed])).json.results[0].outcome).toBe('accepted');
  });

  it('stores 50 concurrent identical batches once', async () => {
    const items = [item('birth_certificate'), item('vaccination')];
    const answers = await Promise.all(Array.from({ length: 50 }, () => suite.desk.batch(items)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (const [i, it1] of items.entries()) {
      const outcomes = answers.map((a) => a.json.results[i].outcome);
      expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(49);
      expect(new Set(answers.map((a) => a.json.results[i].serverId)).size).toBe(1);
      const rows = await stored(it1.idempotencyKey);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.intakeCount).toBe(50);
    }
  });

  it('answers a repeated key inside one batch as duplicate of the first', async () => {
    const it1 = item('vaccination');
    const r = await suite.desk.batch([it1, it1]);
    expect(r.json.results.map((x: { outcome: string }) => x.outcome)).toEqual(['accepted', 'duplicate']);
  });

  it('refuses over 100 items and over 1 MiB with 413, storing nothing', async () => {
    const many = Array.from({ length: 101 }, () => item('vaccination'));
    const r = await suite.desk.batch(many);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ type: PROBLEM_TYPES.payloadTooLarge, status: 413 });
    expect(r.json.errors[0]).toMatchObject({ path: 'items', code: 'too_many' });
    expect(await stored(many[0]!.idempotencyKey)).toEqual([]);

    const big = [item('vaccination', { ...basePayload(), note: 'x'.repeat(MAX_BATCH_BYTES) })];
    const r2 = await suite.desk.batch(big);
    expect(r2.status).toBe(413);
    expect(r2.json.detail).toContain('1048576');
    expect(await stored(big[0]!.idempotencyKey)).toEqual([]);

    const exactly100 = await suite.desk.batch(Array.from({ length: 100 }, () => item('vaccination')));
    expect(exactly100.status).toBe(200);
  });

  it('answers malformed bodies with a 400 problem naming the field', async () => {
    const post = (body: string, contentType = 'application/json') =>
      call(`${suite.t.sim.url}/v1/requests:batch`, { method: 'POST', headers: { ...suite.desk.headers, 'Content-Type': contentType }, body });
    const syntax = await post('{"items": [');
    expect(syntax.status).toBe(400);
    expect(syntax.json).toMatchObject({ type: PROBLEM_TYPES.invalidRequest, status: 400, instance: '/v1/requests:batch' });
    expect(syntax.json.errors[0]).toMatchObject({ path: '(body)', code: 'invalid_json' });

    expect((await post('[]')).json.errors[0]).toMatchObject({ path: '(body)', code: 'invalid_type' });
    expect((await post('{}')).json.errors[0]).toMatchObject({ path: 'items', code: 'required' });
    expect((await post('{"items":{}}')).json.errors[0]).toMatchObject({ path: 'items', code: 'invalid_type' });
    expect((await post('{"items":[]}')).json.errors[0]).toMatchObject({ path: 'items', code: 'too_small' });

    const good = item('vaccination');
    const noKey = await post(JSON.stringify({ items: [good, { ...good, idempotencyKey: undefined }, 7, { ...good, idempotencyKey: 'has space' }] }));
    expect(noKey.status).toBe(400);
    expect(noKey.json.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).toEqual([
      'items[1].idempotencyKey:required',
      'items[2]:invalid_type',
      'items[3].idempotencyKey:invalid',
    ]);
    expect(await stored(good.idempotencyKey)).toEqual([]);

    const text = await post('hello', 'text/plain');
    expect(text.status).toBe(415);
  });

  it('answers unknown paths 404 and wrong methods 405 as problems', async () => {
    const nf = await call(`${suite.t.sim.url}/v1/nothing`, { headers: suite.desk.headers });
    expect(nf.status).toBe(404);
    expect(nf.json.type).toBe(PROBLEM_TYPES.notFound);
    const wrong = await call(`${suite.t.sim.url}/v1/requests:batch`, { headers: suite.desk.headers });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });

  it('keeps each hospital to its own keys and feed', async () => {
    const other = await suite.t.client('H002:desk-9');
    const mine = item('vaccination');
    await suite.desk.batch([mine]);
    // Another hospital reusing the key is a conflict, not a peek at someone else's request.
    const r = await other.batch([mine]);
    expect(r.json.results[0].outcome).toBe('conflict');
    const theirs = item('vaccination');
    await other.batch([theirs]);
    const feed = await other.feed('limit=500');
    const keys = new Set(feed.json.updates.map((u: { idempotencyKey: string }) => u.idempotencyKey));
    expect(keys).toEqual(new Set([theirs.idempotencyKey]));
  });
});
