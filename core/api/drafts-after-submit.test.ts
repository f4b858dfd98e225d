/**
 * Drafts area (clerk walk): a registration once submitted never comes back as a resumable draft. A draft save
 * that lands after the submit (debounced, retried, or flushed before a lock) is refused as `already_submitted`
 * and leaves no draft. Real encrypted SQLite file, through the dispatcher the shells use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StaticKeyProvider, type Store } from '../../db';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import { createEventHub } from './events';
import type { KioskService } from './service';
import { testKiosk, value } from './test-kiosk';

let dir: string;
let store: Store;
let kiosk: KioskService;
const call = (method: string, args: unknown = {}) => kiosk.dispatch(method, args, 'internal');
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kiosk-drafts-'));
  store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new StaticKeyProvider(Buffer.alloc(32, 7)), now: () => new Date(SAMPLE_NOW) });
  await store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
  kiosk = testKiosk(store, createEventHub(), dir, { now: () => new Date(SAMPLE_NOW) });
  value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a submitted registration is not a draft', () => {
  it('submit deletes the draft; a save for the same id after submit is refused and leaves no draft', async () => {
    const registration = sampleRegistrationInput();
    value(await call('saveDraft', { id: registration.id, data: { mother: { name: registration.mother.name } } }));
    expect(value<unknown[]>(await call('listDrafts'))).toHaveLength(1);
    value(await call('submit', { registration, confirmedAt: SAMPLE_NOW.toISOString() }));
    expect(value<unknown[]>(await call('listDrafts'))).toEqual([]);

    // the debounced save that was on its way lands now
    const late = await call('saveDraft', { id: registration.id, data: { mother: { name: registration.mother.name } } });
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.fields?.map((f) => f.code)).toEqual(['already_submitted']);
    }
    expect(value<unknown[]>(await call('listDrafts'))).toEqual([]);
    expect(value(await call('getDraft', { id: registration.id }))).toBeNull();
  });
});
