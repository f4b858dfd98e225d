/**
 * The chip-verified mark at the API level (devices area): over a real encrypted SQLite file and the generic
 * dispatcher, with the desk's device manager (simulated backend) emitting into the event hub. A page that sends
 * `chip` for a card the desk never read gets no verified mark (submit and saveDraft); a card the desk read keeps
 * its mark, but only on the fields still holding the card's value; a saved draft vouches for its later submit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, StaticKeyProvider, type Store } from '../../db';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import type { Parent, RegistrationInput } from '../../domain/types';
import { createDeviceManager, type DeskDevices } from '../../hardware/devices/create';
import { createCardLedger } from './card-ledger';
import { createEventHub, type EventHub } from './events';
import type { KioskService } from './service';
import { testKiosk, value } from './test-kiosk';

let dir: string;
let store: Store;
let events: EventHub;
let kiosk: KioskService;
let devices: DeskDevices;
let reads: Parent[];

const call = (method: string, args: unknown = {}) => kiosk.dispatch(method, args, 'internal');

const forgedChip = { cardType: 'resident', readAt: SAMPLE_NOW.toISOString(), readerId: 'forged', verifiedFields: ['name', 'docNumber', 'birthDate'], photoPresent: true } as const;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ledger-'));
  store = await openStore({ file: path.join(dir, 'desk.db'), keyProvider: new StaticKeyProvider(Buffer.alloc(32, 7)) });
  await store.staff.create({ staffId: 'clerk1', displayName: '李娜', role: 'clerk', pin: '246813' }, { actor: 'system' });
  events = createEventHub();
  reads = [];
  events.subscribe((event, payload) => event === 'idCardRead' && reads.push((payload as { parent: Parent }).parent));
  devices = createDeviceManager({ sink: { emit: (e, p) => events.emit(e, p as never) }, training: true, buses: [], pollMs: 50 });
  kiosk = testKiosk(store, events, dir, { devices });
  devices.start();
  value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
});

afterEach(async () => {
  await devices.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The sample bundle with the mother as the desk's reader read her card (tapped on the simulated reader). */
async function motherFromReader(): Promise<RegistrationInput> {
  const input = sampleRegistrationInput();
  const { insurance: _i, inpatientNumber: _n, phone: _p, ...card } = input.mother;
  expect(await devices.training!.tapCard(card)).toBe(true);
  const read = reads.at(-1)!;
  return { ...input, mother: { ...input.mother, ...read, phone: input.mother.phone } };
}

describe('the chip-verified mark is the desk’s word, not the page’s', () => {
  it('submit: a forged chip for a card the desk never read is dropped and the ID evidence becomes manual', async () => {
    const input = sampleRegistrationInput();
    const forged = { ...input, mother: { ...input.mother, chip: forgedChip }, evidences: [...input.evidences.filter((e) => e.kind !== 'mother_id'), { kind: 'mother_id', capture: 'id_reader' }] };
    const detail = value<{ registration: RegistrationInput }>(await call('submit', { registration: forged, confirmedAt: new Date().toISOString() }));
    expect(detail.registration.mother.chip).toBeUndefined();
    expect(store.registrations.get(input.id)!.mother.chip).toBeUndefined();
    expect(detail.registration.evidences.find((e) => e.kind === 'mother_id')?.capture).toBe('manual');
  });

  it('submit: a card the desk read keeps its provenance (the desk’s, not the page’s) and its verified fields', async () => {
    const input = await motherFromReader();
    const sent = { ...input, mother: { ...input.mother, chip: { ...input.mother.chip!, readerId: 'page-says-so' } } };
    const detail = value<{ registration: RegistrationInput }>(await call('submit', { registration: sent, confirmedAt: new Date().toISOString() }));
    expect(detail.registration.mother.chip?.readerId).toBe('sim-reader');
    expect(detail.registration.mother.chip?.verifiedFields).toEqual(expect.arrayContaining(['name', 'docNumber', 'birthDate']));
  });

  it('submit: a field changed after the read loses its mark; marks the card never had are not added', async () => {
    const input = await motherFromReader();
    const sent = { ...input, mother: { ...input.mother, address: '浙江省温州市龙湾区永中街道1号', chip: { ...input.mother.chip!, verifiedFields: [...input.mother.chip!.verifiedFields, 'phone'] } } };
    const detail = value<{ registration: RegistrationInput }>(await call('submit', { registration: sent, confirmedAt: new Date().toISOString() }));
    const fields = detail.registration.mother.chip!.verifiedFields;
    expect(fields).toContain('name');
    expect(fields).not.toContain('address');
    expect(fields).not.toContain('phone');
  });

  it('submit: the same provenance on another person’s document is dropped', async () => {
    const input = await motherFromReader();
    const sent = { ...input, father: { ...input.father!, chip: input.mother.chip } };
    const detail = value<{ registration: RegistrationInput }>(await call('submit', { registration: sent, confirmedAt: new Date().toISOString() }));
    expect(detail.registration.father!.chip).toBeUndefined();
    expect(detail.registration.mother.chip).toBeDefined();
  });

  it('saveDraft: a forged chip is stored as no chip, the evidence as manual; a read card is kept', async () => {
    const input = sampleRegistrationInput();
    const data = {
      id: input.id,
      mother: { name: input.mother.name, docType: 'resident_id', docNumber: input.mother.docNumber, birthDate: input.mother.birthDate, chip: forgedChip },
      evidences: { mother_id: { present: true, capture: 'id_reader', ref: '' } },
    };
    value(await call('saveDraft', { id: input.id, data }));
    const stored = store.drafts.get(input.id)!.doc as typeof data;
    expect(stored.mother.chip).toBeNull();
    expect(stored.evidences.mother_id.capture).toBe('manual');

    const read = await motherFromReader();
    value(await call('saveDraft', { id: input.id, data: { ...data, mother: { ...read.mother } } }));
    expect((store.drafts.get(input.id)!.doc as { mother: Parent }).mother.chip?.readerId).toBe('sim-reader');
  });

  it('a draft the desk saved vouches for its submit after the ledger forgot (sign-out)', async () => {
    const input = await motherFromReader();
    value(await call('saveDraft', { id: input.id, data: { id: input.id, mother: input.mother } }));
    value(await call('signOut'));
    value(await call('signIn', { staffId: 'clerk1', pin: '246813' }));
    const detail = value<{ registration: RegistrationInput }>(await call('submit', { registration: input, confirmedAt: new Date().toISOString() }));
    expect(detail.registration.mother.chip?.readerId).toBe('sim-reader');
  });

  it('forgets a card after its time', () => {
    let t = 0;
    const ledger = createCardLedger({ ttlMs: 1000, now: () => t });
    const chip = { ...forgedChip, readerId: 'r1', verifiedFields: ['name'] };
    ledger.remember({ readerId: 'r1', at: SAMPLE_NOW.toISOString(), parent: { name: 'A', docType: 'resident_id', docNumber: 'X1', nationality: 'CHN', birthDate: '1990-01-01', chip } });
    const claim = { mother: { name: 'A', docType: 'resident_id', docNumber: 'x1', chip } };
    expect((ledger.vouchInput(claim).mother as { chip?: unknown }).chip).toMatchObject({ readerId: 'r1', verifiedFields: ['name'] });
    t = 1001;
    expect((ledger.vouchInput(claim).mother as { chip?: unknown }).chip).toBeUndefined();
  });
});
