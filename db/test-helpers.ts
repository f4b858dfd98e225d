/**
 * Fixture registrations and a temp-dir store for db/ tests and the store benchmark (no mocks: real files).
 * Deterministic from a seed, so a failing case can be replayed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { deriveRequests } from '../domain/bundle';
import type { Service } from '../domain/codes';
import { withCheckChar } from '../domain/idnumber';
import { mulberry32 } from '../domain/prng';
import type { Registration } from '../domain/types';
import { openConnection } from './connection';
import { FileKeyProvider } from './key-provider';
import { openStore, type OpenStoreOptions, type Store } from './store';
import type { DerivedRequest } from './types';

/** A small deterministic PRNG (domain/prng.ts). */
export function rng(seed: number): () => number {
  const p = mulberry32(seed);
  return () => p.next();
}

/** A GB 11643 resident ID number with a correct MOD 11-2 check character. */
export function residentId(region: string, birth: string, seq: number): string {
  const body = `${region}${birth.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  const id = withCheckChar(body);
  if (!id) throw new RangeError(`residentId: ${body.length} characters are not 17 digits`);
  return id;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '高', '郑'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '晨', '欣怡', '子涵', '浩然', '梓萱', '宇轩'];
const DISTRICTS = ['330302', '330303', '330304', '330324', '330381', '330382'] as const;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface FixtureOptions {
  id?: string;
  createdAt?: string;
  childBirth?: string;
  plurality?: number;
  birthOrder?: number;
  motherDocNumber?: string;
  services?: Service[];
}

/** A structurally valid registration; `seed` makes names, numbers and dates vary. */
export function makeRegistration(seed: number, o: FixtureOptions = {}): Registration {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const name = () => pick(SURNAMES) + pick(GIVEN);
  const birthYear = 1985 + Math.floor(r() * 15);
  const mBirth = `${birthYear}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
  const fBirth = `${birthYear - 2}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`;
  const district = pick(DISTRICTS);
  const day = Math.floor(r() * 700);
  const childBirth =
    o.childBirth ??
    (() => {
      const d = new Date(Date.UTC(2024, 0, 1) + day * 86_400_000);
      return `${d.toISOString().slice(0, 10)}T${pad(Math.floor(r() * 24))}:${pad(Math.floor(r() * 60))}`;
    })();
  const services = o.services ?? ['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration', 'citizen_card'];
  const phone = () => `13${pad(Math.floor(r() * 100))}${String(Math.floor(r() * 1e7)).padStart(7, '0')}`;
  return {
    id: o.id ?? uuidv7(),
    hospitalCode: 'H330302001',
    deskId: 'desk-01',
    clerkId: 'clerk-01',
    createdAt: o.createdAt ?? new Date().toISOString(),
    mother: {
      name: name(),
      sex: '2',
      docType: 'resident_id',
      docNumber: o.motherDocNumber ?? residentId(district, mBirth, Math.floor(r() * 1000)),
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: mBirth,
      address: '浙江省温州市鹿城区五马街' + Math.floor(r() * 200) + '号',
      phone: phone(),
      insurance: { insured: true, insuredDistrict: district },
      inpatientNumber: 'ZY' + Math.floor(r() * 1e8),
    },
    father: {
      name: name(),
      sex: '1',
      docType: 'resident_id',
      docNumber: residentId(district, fBirth, Math.floor(r() * 1000)),
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: fBirth,
      phone: phone(),
    },
    child: {
      name: name(),
      sex: r() < 0.5 ? '1' : '2',
      birthDateTime: childBirth,
      gestationalWeeks: 37 + Math.floor(r() * 4),
      weightG: 2500 + Math.floor(r() * 1800),
      lengthCm: 46 + Math.floor(r() * 8),
      healthStatus: 'good',
      deliveryMode: pick(['vaginal', 'assisted', 'caesarean'] as const),
      attendant: '助产士' + pick(SURNAMES),
      plurality: o.plurality ?? 1,
      birthOrder: o.birthOrder ?? 1,
    },
    declaration: {
      householdDistrict: district,
      householdAddress: '浙江省温州市' + Math.floor(r() * 500) + '号',
      relationshipToHouseholder: '子',
      residenceDistrict: district,
      guardianName: name(),
      guardianPhone: phone(),
      cardDelivery: { method: 'pickup', pickupPoint: '市民中心' },
    },
    vaccinations: [
      { vaccine: 'hepb_1', manufacturer: '康泰', batch: 'B' + Math.floor(r() * 1e6), givenAt: childBirth, site: '右上臂', nurse: '护士' + pick(SURNAMES) },
    ],
    evidences: [
      { kind: 'mother_id', capture: 'id_reader' },
      { kind: 'mother_wristband', capture: 'scan', ref: 'WB' + Math.floor(r() * 1e6) },
    ],
    services,
  };
}

/** The bundle's requests, from the domain's own rules (`deriveRequests`, new random request ids). */
export function makeRequests(reg: Registration): DerivedRequest[] {
  return deriveRequests(reg, { hospitalDistrict: '330302', newId: uuidv7 });
}

export interface TempStore {
  dir: string;
  file: string;
  keyFile: string;
  store: Store;
  reopen(extra?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Closes the store and opens its file raw with the store's key: the SQL a broken build or an intruder would run. */
  openRaw(): Promise<ReturnType<typeof openConnection>>;
  cleanup(): void;
}

/** What `fn` threw (undefined when it returned): for tables of bad inputs, each checked for its error. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

export function tempDir(prefix = 'nd-db-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function tempStore(extra: Partial<OpenStoreOptions> = {}): Promise<TempStore> {
  const dir = tempDir();
  const file = path.join(dir, 'desk.db');
  const keyFile = path.join(dir, 'desk.key');
  const t: TempStore = {
    dir,
    file,
    keyFile,
    store: await openStore({ file, keyProvider: new FileKeyProvider(keyFile), ...extra }),
    async reopen(more = {}) {
      t.store.close();
      t.store = await openStore({ file, keyProvider: new FileKeyProvider(keyFile), ...extra, ...more });
      return t.store;
    },
    async openRaw() {
      t.store.close();
      return openConnection({ file, key: await new FileKeyProvider(keyFile).getKey() });
    },
    cleanup() {
      try {
        t.store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return t;
}
