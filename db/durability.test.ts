/**
 * The sync thread's connection (`durability: 'replayable'`): its commits are not fsync'd one by one
 * (synchronous=NORMAL) and it never writes the loss anchor, which only the desk's fsync'd commits rewrite — so the
 * anchor cannot run ahead of what a power cut leaves, and it still covers the sync's events once the desk commits.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { readAnchor } from './anchor';
import { FileKeyProvider } from './key-provider';
import { openStore, type Store } from './store';
import { makeRegistration, makeRequests, tempStore, type TempStore } from './test-helpers';

let t: TempStore | undefined;
let sync: Store | undefined;
afterEach(() => {
  sync?.close();
  sync = undefined;
  t?.cleanup();
  t = undefined;
});

it('a replayable connection commits with synchronous=NORMAL and leaves the anchor to the desk connection', async () => {
  t = await tempStore();
  const reg = makeRegistration(1);
  t.store.registrations.submit({ registration: reg, requests: makeRequests(reg), actor: 'clerk-01' });
  const anchorFile = t.store.anchor().file!;
  const before = readAnchor(anchorFile);
  expect(before).toMatchObject({ count: t.store.audit.count() });
  expect(t.store.context.db.pragma('synchronous', { simple: true })).toBe(2); // FULL on the desk's connection

  sync = await openStore({ file: t.file, keyProvider: new FileKeyProvider(t.keyFile), anchorFile, durability: 'replayable' });
  expect(sync.context.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  const bytes = readFileSync(anchorFile);
  for (let i = 0; i < 3; i++) sync.audit.append({ actor: 'sync', action: 'sync.accepted_batch', details: { n: i } });
  expect(readFileSync(anchorFile)).toEqual(bytes); // untouched by the sync's commits
  expect(sync.anchor()).toMatchObject({ file: anchorFile, count: (before as { count: number }).count });

  // The desk's next fsync'd commit rewrites the anchor at the chain's head, the sync's events included.
  t.store.audit.append({ actor: 'clerk-01', action: 'staff.signout' });
  const after = readAnchor(anchorFile) as { seq: number; hash: string; count: number };
  const head = t.store.context.db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  expect(after).toMatchObject({ seq: head.seq, hash: head.hash });
  // And the file opens against it.
  sync.close();
  sync = undefined;
  await t.reopen();
  expect(t.store.anchor().atOpen).toBe('ok');
  expect(t.store.verifyAuditChain()).toMatchObject({ ok: true, count: t.store.audit.count() });
});
