/**
 * A realistic five-service bundle for receipt tests and the receipt benchmark: the domain's sample
 * registration (domain/fixtures) with the family 王丽华 / 陈建国, and its requests derived by the
 * domain's own bundle rules, at the states a receipt may be printed in.
 */
import { deriveRequests } from '../../domain/bundle';
import type { RequestState, Service } from '../../domain/codes';
import { sampleRegistration, SAMPLE_IDS, type DeepPartial } from '../../domain/fixtures';
import { getHospital } from '../../domain/hospitals';
import type { Registration, ServiceRequest } from '../../domain/types';
import type { ReceiptInput } from './input';

export const HOSPITAL_CODE = 'WZ02';
export const MOTHER_ID = SAMPLE_IDS.mother;
export const FATHER_ID = SAMPLE_IDS.father;

export function receiptRegistration(over: DeepPartial<Registration> = {}): Registration {
  return sampleRegistration({
    hospitalCode: HOSPITAL_CODE,
    mother: { name: '王丽华' },
    father: { name: '陈建国' },
    child: { name: '陈思远', sex: '1', attendant: '林美芳' },
    declaration: { guardianName: '王丽华' },
    ...over,
  });
}

export interface RequestPlan {
  state: RequestState;
  documentNumber?: string | null;
  reason?: string | null;
}

/** The bundle's requests (domain routing and dependencies); by default all queued, as printed at submit. */
export function receiptRequests(reg: Registration, plan: Partial<Record<Service, RequestPlan>> = {}): ServiceRequest[] {
  const hospital = getHospital(reg.hospitalCode);
  if (!hospital) throw new Error(`fixture: unknown hospital ${reg.hospitalCode}`);
  let n = 0;
  const newId = (): string => `0195a3c2-7b4f-7000-8000-${String(++n).padStart(12, '0')}`;
  return deriveRequests(reg, { hospitalDistrict: hospital.district, newId }).map((d) => {
    const p = plan[d.service] ?? { state: 'queued' as const };
    const sent = p.state !== 'queued';
    return {
      ...d,
      registrationId: reg.id,
      state: p.state,
      serverId: sent ? `CITY-${d.service.toUpperCase()}-0001` : null,
      serverStatus: null,
      reason: p.reason ?? null,
      documentNumber: p.documentNumber ?? null,
      attempts: sent ? 1 : 0,
      nextAttemptAt: null,
      lastError: null,
      createdAt: reg.createdAt,
      updatedAt: reg.createdAt,
    };
  });
}

/** Mid-flight: birth certificate issued, vaccination record approved, the rest following. */
export function midFlight(reg: Registration): ServiceRequest[] {
  return receiptRequests(reg, {
    birth_certificate: { state: 'issued', documentNumber: 'P330123456' },
    vaccination: { state: 'approved', documentNumber: 'YM3303022026031400087' },
    maternity_insurance: { state: 'in_review' },
    household_registration: { state: 'accepted' },
    citizen_card: { state: 'queued' },
  });
}

export function hospitalName(code = HOSPITAL_CODE): string {
  return getHospital(code)?.zh ?? code;
}

export interface FixtureReceiptOptions {
  /** Default: `receiptRegistration()`. */
  registration?: Registration;
  /** The requests printed; default: all queued (`receiptRequests`). */
  requests?: (reg: Registration) => ServiceRequest[];
  /** Default: 李晓燕. */
  clerkName?: string;
  training?: boolean;
  /** Put the tracking URL in the QR code (otherwise it carries the bundle id). */
  tracked?: boolean;
  now?: Date;
}

/** What a receipt for the fixture family is printed from, as the desk builds it. */
export function fixtureReceiptInput(o: FixtureReceiptOptions = {}): ReceiptInput {
  const registration = o.registration ?? receiptRegistration();
  return {
    registration,
    requests: o.requests ? o.requests(registration) : receiptRequests(registration),
    hospitalName: hospitalName(),
    clerkName: o.clerkName ?? '李晓燕',
    training: o.training ?? false,
    ...(o.tracked ? { trackingUrl: `https://track.example.wenzhou.gov.cn/b/${registration.id}` } : {}),
    now: o.now ?? new Date(),
  };
}
