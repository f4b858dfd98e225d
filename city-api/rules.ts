/**
 * The city's rules: what intake rejects (with field errors) and what review decides. Pure functions; the
 * store allocates the numbers a decision issues.
 *
 * Payload fields read (everything else is accepted and ignored):
 *   payload.mother.docType, payload.mother.docNumber            every service (check digit when resident_id)
 *   payload.father.docType, payload.father.docNumber            every service, when father is an object
 *   payload.birthCertificateNumber                              maternity_insurance, household_registration
 *   payload.mother.insured | payload.mother.insurance.insured   maternity_insurance (false → rejected in review)
 *   payload.child.name, payload.child.sex, payload.child.birthDateTime, payload.householdAddress
 *                                                                household_registration
 *   payload.childIdNumber                                       citizen_card
 */
import { DISTRICT_CODES, SERVICES, type DistrictCode, type Service } from '../domain/codes';
import { isRealDate } from '../domain/dates';
import { hasValidMod112, withCheckChar } from '../domain/idnumber';
import type { FieldError } from './contract';

/** `yyyymmdd` is a real calendar date (from 1850, as the city's register). */
const isRealYmd = (yyyymmdd: string): boolean =>
  /^\d{8}$/.test(yyyymmdd) &&
  Number(yyyymmdd.slice(0, 4)) >= 1850 &&
  isRealDate(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)));

export type IdNumberProblem = 'invalid_format' | 'invalid_birth_date' | 'invalid_check_digit';

/** Why an 18-character resident ID number is refused at intake, or null when it is valid (GB 11643). */
export function idNumberProblem(value: string): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'invalid_format';
  if (!isRealYmd(value.slice(6, 14))) return 'invalid_birth_date';
  if (!hasValidMod112(value)) return 'invalid_check_digit';
  return null;
}

/**
 * The number the city issues: `area` (6 digits), `birthDate` (YYYYMMDD), `sequence` (1..999; its parity is the
 * sex: odd male, even female), and the MOD 11-2 check character.
 */
export function composeIdNumber(area: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(area)) throw new RangeError('composeIdNumber: area must be 6 digits');
  if (!isRealYmd(birthDate)) throw new RangeError('composeIdNumber: birthDate must be a real YYYYMMDD date');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError('composeIdNumber: sequence must be an integer in 1..999');
  }
  return withCheckChar(`${area}${birthDate}${String(sequence).padStart(3, '0')}`)!;
}

export type IssuedKind = 'birth_certificate' | 'child_id';

/** What the store knows about numbers this server issued. */
export interface IssuedLookup {
  isIssued(kind: IssuedKind, number: string): boolean;
  /** The registration (of any desk) already holding a birth certificate request, not rejected, for this mother, birth minute and order. */
  birthOnFile?(birth: BirthKey): string | null;
}

/** One birth as the city keys it: the mother's document, the minute of birth and the child's order. */
export interface BirthKey {
  motherDocNumber: string;
  birthDateTime: string;
  birthOrder: number;
  registrationId: string;
}

/** An item as it arrived (only `idempotencyKey` is known to be well-formed). */
export interface RawItem {
  idempotencyKey: string;
  requestId?: unknown;
  registrationId?: unknown;
  service?: unknown;
  jurisdiction?: unknown;
  payload?: unknown;
}

/** An item that passed intake. */
export interface ValidItem {
  idempotencyKey: string;
  requestId: string;
  registrationId: string;
  service: Service;
  jurisdiction: DistrictCode;
  payload: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

const ID_MESSAGES = {
  invalid_format: 'expected 18 characters: 17 digits and a check character (digit or X)',
  invalid_birth_date: 'the birth date inside the ID number (characters 7–14) is not a real date',
  invalid_check_digit: 'the check character does not match (GB 11643 MOD 11-2): the number was mistyped',
} as const;

function checkParentDoc(payload: Obj, who: 'mother' | 'father', errors: FieldError[]): void {
  const parent = payload[who];
  if (!isObj(parent) || parent.docType !== 'resident_id') return;
  const path = `payload.${who}.docNumber`;
  const number = parent.docNumber;
  if (typeof number !== 'string' || number.length === 0) {
    errors.push({ path, code: 'required', message: `the ${who}'s resident ID number is required` });
    return;
  }
  const problem = idNumberProblem(number);
  if (problem) errors.push({ path, code: problem, message: `the ${who}'s resident ID number: ${ID_MESSAGES[problem]}` });
}

/** `YYYY-MM-DDTHH:mm` and a real date and time. */
export function isBirthDateTime(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (!m) return false;
  return isRealYmd(`${m[1]}${m[2]}${m[3]}`) && Number(m[4]) < 24 && Number(m[5]) < 60;
}

function checkIssued(
  payload: Obj,
  field: 'birthCertificateNumber' | 'childIdNumber',
  kind: IssuedKind,
  lookup: IssuedLookup,
  errors: FieldError[],
): void {
  const path = `payload.${field}`;
  const what = kind === 'birth_certificate' ? 'Medical Certificate of Birth number' : "child's citizen ID number";
  const value = payload[field];
  if (!nonEmpty(value)) {
    errors.push({ path, code: 'required', message: `the ${what} this request depends on is required` });
  } else if (!lookup.isIssued(kind, value)) {
    errors.push({
      path,
      code: kind === 'birth_certificate' ? 'unknown_birth_certificate' : 'unknown_child_id',
      message: `no ${what} ${kind === 'birth_certificate' ? value : '(given)'} was issued by the city: send this request after the one it depends on is issued`,
    });
  }
}

/** One Medical Certificate of Birth per birth: the same mother, minute and order from another registration is refused. */
function checkSecondCertificate(item: RawItem, payload: Obj, lookup: IssuedLookup, errors: FieldError[]): void {
  const mother = isObj(payload.mother) ? payload.mother : {};
  const child = isObj(payload.child) ? payload.child : {};
  const birth = isObj(payload.birth) ? payload.birth : {};
  if (!lookup.birthOnFile || !nonEmpty(mother.docNumber) || !isBirthDateTime(child.birthDateTime) || typeof item.registrationId !== 'string') return;
  const order = typeof birth.birthOrder === 'number' ? birth.birthOrder : 1;
  const other = lookup.birthOnFile({ motherDocNumber: mother.docNumber, birthDateTime: child.birthDateTime, birthOrder: order, registrationId: item.registrationId });
  if (other) {
    errors.push({
      path: 'payload.child.birthDateTime',
      code: 'birth_already_certified',
      message: `${REASONS.secondCertificate} (registration ${other})`,
    });
  }
}

/** Intake validation: field errors (empty = accept). */
export function validateItem(item: RawItem, lookup: IssuedLookup): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['requestId', 'registrationId'] as const) {
    const v = item[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 64) {
      errors.push({ path: field, code: 'invalid', message: `${field} must be a string of 1 to 64 characters` });
    }
  }
  const service = item.service;
  const serviceOk = typeof service === 'string' && (SERVICES as readonly string[]).includes(service);
  if (!serviceOk) {
    errors.push({ path: 'service', code: 'unknown_service', message: `service must be one of ${SERVICES.join(', ')}` });
  }
  const j = item.jurisdiction;
  if (!(typeof j === 'string' && (DISTRICT_CODES as readonly string[]).includes(j))) {
    errors.push({
      path: 'jurisdiction',
      code: 'unknown_jurisdiction',
      message: `jurisdiction must be one of the 12 Wenzhou district codes (${DISTRICT_CODES.join(' ')})`,
    });
  }
  const payload = item.payload;
  if (!isObj(payload)) {
    errors.push({ path: 'payload', code: 'invalid_type', message: 'payload must be a JSON object' });
    return errors;
  }
  checkParentDoc(payload, 'mother', errors);
  checkParentDoc(payload, 'father', errors);
  if (!serviceOk) return errors;

  switch (service as Service) {
    case 'birth_certificate':
      checkSecondCertificate(item, payload, lookup, errors);
      break;
    case 'maternity_insurance':
      checkIssued(payload, 'birthCertificateNumber', 'birth_certificate', lookup, errors);
      break;
    case 'household_registration': {
      const child = isObj(payload.child) ? payload.child : {};
      if (!nonEmpty(child.name)) {
        errors.push({ path: 'payload.child.name', code: 'required', message: "the child's name is required for household registration" });
      }
      if (child.sex !== '1' && child.sex !== '2') {
        errors.push({
          path: 'payload.child.sex',
          code: 'invalid_sex',
          message: "household registration needs the child's sex as GB/T 2261.1 code '1' (male) or '2' (female)",
        });
      }
      if (!isBirthDateTime(child.birthDateTime)) {
        errors.push({
          path: 'payload.child.birthDateTime',
          code: 'invalid_date_time',
          message: "the child's birth date-time must be a real YYYY-MM-DDTHH:mm",
        });
      }
      checkIssued(payload, 'birthCertificateNumber', 'birth_certificate', lookup, errors);
      break;
    }
    case 'citizen_card':
      checkIssued(payload, 'childIdNumber', 'child_id', lookup, errors);
      break;
    default:
      break;
  }
  return errors;
}

/** What review decides; `issue` names the number the store allocates. */
export type Decision =
  | { status: 'issued'; issue: 'birth_certificate' | 'citizen_card' }
  | { status: 'issued'; issue: 'child_id'; birthDate: string; sex: '1' | '2' }
  | { status: 'approved'; issue: 'vaccination_record' | 'maternity_claim' }
  | { status: 'rejected' | 'needs_info'; reason: string };

export const REASONS = {
  secondCertificate:
    '该母亲此次分娩（同一出生时间、同一出生顺序）已有出生医学证明申请，不再重复签发。 A birth certificate was already requested for this mother, birth minute and birth order: a second one is not issued.',
  notInsured: '母亲未参加生育保险，不予支付生育保险待遇。 The mother is not covered by maternity insurance: the claim is refused.',
  noHouseholdAddress:
    '缺少落户地址，请补充后重新申报。 The household address (payload.householdAddress) is missing: file again with the address.',
} as const;

/** The decision at the end of review (deterministic from the stored item). */
export function decide(item: ValidItem): Decision {
  const p = item.payload;
  switch (item.service) {
    case 'birth_certificate':
      return { status: 'issued', issue: 'birth_certificate' };
    case 'vaccination':
      return { status: 'approved', issue: 'vaccination_record' };
    case 'maternity_insurance': {
      const mother = isObj(p.mother) ? p.mother : {};
      const insurance = isObj(mother.insurance) ? mother.insurance : {};
      if (mother.insured === false || insurance.insured === false) return { status: 'rejected', reason: REASONS.notInsured };
      return { status: 'approved', issue: 'maternity_claim' };
    }
    case 'household_registration': {
      if (!nonEmpty(p.householdAddress)) return { status: 'needs_info', reason: REASONS.noHouseholdAddress };
      const child = p.child as Obj; // validated at intake
      const bdt = child.birthDateTime as string;
      return { status: 'issued', issue: 'child_id', birthDate: bdt.slice(0, 10).replaceAll('-', ''), sex: child.sex as '1' | '2' };
    }
    case 'citizen_card':
      return { status: 'issued', issue: 'citizen_card' };
  }
}
