/**
 * A valid sample registration for tests across the project (valid by `validateRegistration` with
 * `SAMPLE_NOW`, and with any later `now`). The people are invented; their ID numbers are synthetic with
 * correct check digits. A cross-district case, as is normal: born at a Lucheng hospital, the child joins
 * the Lucheng register, the mother is insured in Ouhai, the father's household is in Rui'an.
 */
import { withCheckChar } from './idnumber';
import type { Registration, RegistrationInput } from './types';

/** A `now` for validation in tests: the day after the sample birth, 10:00 in Wenzhou. */
export const SAMPLE_NOW = new Date('2026-03-15T02:00:00Z');

export const SAMPLE_IDS = {
  registration: '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80',
  /** 330302 Lucheng, born 1994-05-12, sequence 128 (even: female). */
  mother: withCheckChar('33030219940512128')!,
  /** 330381 Rui'an, born 1992-11-03, sequence 135 (odd: male). */
  father: withCheckChar('33038119921103135')!,
} as const;

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** Deep merge: objects merge, arrays and null replace, an explicit `undefined` removes the key. */
function merge<T>(base: T, over: unknown): T {
  if (!isPlain(over) || !isPlain(base)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = isPlain(v) && isPlain(out[k]) ? merge(out[k], v) : v;
  }
  return out as T;
}

export function sampleRegistrationInput(overrides: DeepPartial<RegistrationInput> = {}): RegistrationInput {
  const base: RegistrationInput = {
    id: SAMPLE_IDS.registration,
    mother: {
      name: '陈晓燕',
      sex: '2',
      docType: 'resident_id',
      docNumber: SAMPLE_IDS.mother,
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: '1994-05-12',
      address: '浙江省温州市鹿城区五马街道解放街128号',
      phone: '13957712345',
      issuingAuthority: '温州市公安局鹿城分局',
      validFrom: '2020-06-01',
      validTo: '2040-06-01',
      insurance: { insured: true, insuredDistrict: '330304' },
      inpatientNumber: 'ZY2026031401',
    },
    father: {
      name: '林建华',
      sex: '1',
      docType: 'resident_id',
      docNumber: SAMPLE_IDS.father,
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: '1992-11-03',
      address: '浙江省瑞安市安阳街道万松路66号',
      phone: '13806661234',
    },
    child: {
      name: '林若溪',
      sex: '2',
      birthDateTime: '2026-03-14T08:25',
      gestationalWeeks: 39,
      weightG: 3350,
      lengthCm: 50,
      healthStatus: 'good',
      deliveryMode: 'vaginal',
      attendant: '王丽华',
      plurality: 1,
      birthOrder: 1,
    },
    declaration: {
      householdDistrict: '330302',
      householdAddress: '浙江省温州市鹿城区五马街道解放街128号',
      relationshipToHouseholder: '女',
      residenceDistrict: '330302',
      guardianName: '陈晓燕',
      guardianPhone: '13957712345',
      cardDelivery: { method: 'pickup', pickupPoint: '鹿城区市民卡服务中心' },
    },
    vaccinations: [
      { vaccine: 'hepb_1', manufacturer: '深圳康泰生物制品股份有限公司', batch: 'B202501023', givenAt: '2026-03-14T10:05', site: '右上臂三角肌', nurse: '张敏' },
      { vaccine: 'bcg', manufacturer: '上海生物制品研究所有限责任公司', batch: 'H20250711', givenAt: '2026-03-14T10:20', site: '左上臂三角肌', nurse: '张敏' },
    ],
    evidences: [
      { kind: 'mother_id', capture: 'id_reader' },
      { kind: 'father_id', capture: 'id_reader' },
      { kind: 'marriage_certificate', capture: 'manual' },
      { kind: 'household_booklet', capture: 'manual' },
      { kind: 'mother_wristband', capture: 'scan', ref: 'ZY2026031401' },
    ],
    services: ['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration', 'citizen_card'],
  };
  return merge(base, overrides);
}

/** The sample as stored: filed at WZ02 (a Lucheng hospital) by desk 1's clerk. */
export function sampleRegistration(overrides: DeepPartial<Registration> = {}): Registration {
  const base: Registration = {
    ...sampleRegistrationInput(),
    hospitalCode: 'WZ02',
    deskId: 'WZ02-D1',
    clerkId: 'clerk-001',
    createdAt: '2026-03-14T10:40:00+08:00',
  };
  return merge(base, overrides);
}
