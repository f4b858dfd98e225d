/**
 * The registration form as the clerk edits it (strings as typed, booleans for ticks) and its conversion to the
 * `RegistrationInput` the contract validates and submits. Form paths equal the input's paths wherever they can
 * (`mother.docNumber`, `child.birthDateTime`…), so an issue from `validateDraft` lands on its field by path.
 * Pure functions only: no React, no client. Smart defaults live here too, so they are testable on their own.
 */
import {
  EVIDENCE_KINDS,
  SERVICES,
  type CaptureMethod,
  type EvidenceKind,
  type Service,
} from '../../domain/codes';
import type { ChipProvenance, Parent, RegistrationInput, VaccineDose } from '../../domain/types';
import { DESK_UTC_OFFSET_MINUTES, formatDeskTime, isPermanentValidity } from '../../domain/dates';
import { detectDocType, parseIdDocument } from '../../domain/idnumber';
import { districtFromAddress, districtFromIdNumber } from '../../domain/defaults';
import { askedByDefault, type Declined } from '../../domain/bundle-plan';

export interface ParentForm {
  name: string;
  sex: string;
  docType: string;
  docNumber: string;
  nationality: string;
  ethnicity: string;
  birthDate: string;
  address: string;
  phone: string;
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
  chip: ChipProvenance | null;
}

export interface DoseForm {
  vaccine: VaccineDose['vaccine'];
  manufacturer: string;
  batch: string;
  givenAt: string;
  site: string;
  nurse: string;
}

export interface FormValues {
  id: string;
  mother: ParentForm & {
    inpatientNumber: string;
    insurance: { insured: boolean; insuredDistrict: string; bankAccount: string };
  };
  hasFather: boolean;
  father: ParentForm;
  child: {
    name: string;
    sex: string;
    birthDateTime: string;
    gestationalWeeks: string;
    weightG: string;
    lengthCm: string;
    healthStatus: string;
    deliveryMode: string;
    attendant: string;
    plurality: string;
    birthOrder: string;
  };
  declaration: {
    householdDistrict: string;
    householdAddress: string;
    relationshipToHouseholder: string;
    residenceDistrict: string;
    guardianName: string;
    guardianPhone: string;
    cardDelivery: { method: 'post' | 'pickup'; address: string; pickupPoint: string };
  };
  vaccinations: DoseForm[];
  evidences: Record<EvidenceKind, { present: boolean; capture: CaptureMethod; ref: string }>;
  services: Record<Service, boolean>;
  /** bundle area (issue 12): services the family asked for that the clerk declines ("不办理此项"), with the reason. */
  declined?: Partial<Record<Service, string>>;
  /** Which defaults the clerk overrode (they are then left alone). */
  touched: { guardian: boolean; services: boolean; district: boolean; householdAddress?: boolean };
}

export const emptyParent = (): ParentForm => ({
  name: '',
  sex: '',
  docType: 'resident_id',
  docNumber: '',
  nationality: 'CHN',
  ethnicity: '',
  birthDate: '',
  address: '',
  phone: '',
  issuingAuthority: '',
  validFrom: '',
  validTo: '',
  chip: null,
});

export function emptyForm(id: string, opts: { pickupPoint?: string; attendant?: string } = {}): FormValues {
  return {
    id,
    mother: { ...emptyParent(), sex: '2', inpatientNumber: '', insurance: { insured: true, insuredDistrict: '', bankAccount: '' } },
    hasFather: true,
    father: { ...emptyParent(), sex: '1' },
    child: {
      name: '',
      sex: '',
      birthDateTime: '',
      gestationalWeeks: '',
      weightG: '',
      lengthCm: '',
      healthStatus: 'good',
      deliveryMode: 'vaginal',
      attendant: opts.attendant ?? '',
      plurality: '1',
      birthOrder: '1',
    },
    declaration: {
      householdDistrict: '',
      householdAddress: '',
      relationshipToHouseholder: '',
      residenceDistrict: '',
      guardianName: '',
      guardianPhone: '',
      cardDelivery: { method: 'pickup', address: '', pickupPoint: opts.pickupPoint ?? '' },
    },
    vaccinations: [],
    evidences: Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, { present: false, capture: 'manual', ref: '' }])) as FormValues['evidences'],
    services: Object.fromEntries(SERVICES.map((s) => [s, true])) as Record<Service, boolean>,
    touched: { guardian: false, services: false, district: false },
  };
}

/** Fills in whatever an older or partial draft lacks, so every field is controlled from the start. */
export function normaliseDraft(id: string, data: Record<string, unknown>, opts: { pickupPoint?: string; attendant?: string } = {}): FormValues {
  const base = emptyForm(id, opts);
  const merge = (a: unknown, b: unknown): unknown => {
    if (b === undefined || b === null) return a;
    if (Array.isArray(a)) return Array.isArray(b) ? b : a;
    if (a && typeof a === 'object' && b && typeof b === 'object' && !Array.isArray(b)) {
      const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    if (a === null) return b;
    return typeof a === typeof b ? b : a;
  };
  const merged = merge(base, data) as FormValues;
  merged.id = id;
  return merged;
}

const t = (s: string) => s.trim();
const opt = (s: string) => (t(s) === '' ? undefined : t(s));
/** '' stays '' (so the validator says "required"), a number becomes a number, anything else is passed as typed. */
const num = (s: string): number | string => {
  const v = t(s);
  if (v === '') return '';
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
};

/** Accepts `2026-03-14 08:25`, `2026-03-14T08:25`, `202603140825`, `2026/3/14 8:25` → `2026-03-14T08:25`. */
export function normaliseDateTime(raw: string): string {
  const s = raw.trim();
  let m = /^(\d{4})(\d{2})(\d{2})\s*(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`;
  m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[\sT]+(\d{1,2})[:：时](\d{1,2})分?$/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}T${m[4]!.padStart(2, '0')}:${m[5]!.padStart(2, '0')}`;
  return s;
}

/** Accepts `19900315`, `1990/3/15`, `1990-03-15` → `1990-03-15`. */
export function normaliseDate(raw: string): string {
  const s = raw.trim();
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return s;
}

function parentInput(p: ParentForm): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: t(p.name),
    docType: p.docType,
    docNumber: t(p.docNumber).toUpperCase(),
    nationality: t(p.nationality).toUpperCase(),
    birthDate: normaliseDate(p.birthDate),
  };
  if (p.sex) out.sex = p.sex;
  if (p.ethnicity) out.ethnicity = p.ethnicity;
  for (const k of ['address', 'phone', 'issuingAuthority'] as const) if (opt(p[k])) out[k] = opt(p[k]);
  if (opt(p.validFrom)) out.validFrom = normaliseDate(p.validFrom);
  if (opt(p.validTo)) out.validTo = isPermanentValidity(p.validTo) ? 'permanent' : normaliseDate(p.validTo);
  if (p.chip) out.chip = p.chip;
  return out;
}

/** The form as a `RegistrationInput`-shaped object (possibly invalid: validation says where). */
export function toInput(v: FormValues): RegistrationInput {
  const d = v.declaration;
  const declaration: Record<string, unknown> = {
    guardianName: t(d.guardianName),
    guardianPhone: t(d.guardianPhone),
    cardDelivery:
      d.cardDelivery.method === 'post'
        ? { method: 'post', address: t(d.cardDelivery.address) }
        : { method: 'pickup', pickupPoint: t(d.cardDelivery.pickupPoint) },
  };
  if (d.householdDistrict) declaration.householdDistrict = d.householdDistrict;
  if (opt(d.householdAddress)) declaration.householdAddress = t(d.householdAddress);
  if (opt(d.relationshipToHouseholder)) declaration.relationshipToHouseholder = t(d.relationshipToHouseholder);
  if (d.residenceDistrict) declaration.residenceDistrict = d.residenceDistrict;
  const insurance: Record<string, unknown> = { insured: v.mother.insurance.insured };
  if (v.mother.insurance.insured && v.mother.insurance.insuredDistrict) insurance.insuredDistrict = v.mother.insurance.insuredDistrict;
  if (v.mother.insurance.insured && opt(v.mother.insurance.bankAccount)) insurance.bankAccount = t(v.mother.insurance.bankAccount).replace(/\s+/g, '');
  const mother: Record<string, unknown> = { ...parentInput(v.mother), insurance };
  if (opt(v.mother.inpatientNumber)) mother.inpatientNumber = t(v.mother.inpatientNumber);
  const c = v.child;
  const child: Record<string, unknown> = {
    sex: c.sex,
    birthDateTime: normaliseDateTime(c.birthDateTime),
    gestationalWeeks: num(c.gestationalWeeks),
    weightG: num(c.weightG),
    lengthCm: num(c.lengthCm),
    healthStatus: c.healthStatus,
    deliveryMode: c.deliveryMode,
    attendant: t(c.attendant),
    plurality: num(c.plurality),
    birthOrder: num(c.birthOrder),
  };
  if (opt(c.name)) child.name = t(c.name);
  const input = {
    id: v.id,
    mother,
    father: v.hasFather ? parentInput(v.father) : null,
    child,
    declaration,
    vaccinations: v.vaccinations.map((x) => ({
      vaccine: x.vaccine,
      manufacturer: t(x.manufacturer),
      batch: t(x.batch).toUpperCase(),
      givenAt: normaliseDateTime(x.givenAt),
      site: t(x.site),
      nurse: t(x.nurse),
    })),
    evidences: evidenceList(v),
  };
  return withBundle(input, v) as unknown as RegistrationInput;
}

/**
 * The services of the entry, from its own data at this moment (issue 12): while the clerk has not chosen
 * otherwise, everything the family asks for by default (`askedByDefault`, the one rule table) — so no background
 * check can drop one; the declined ones (with their reason) are left out and listed as declined.
 */
export function withBundle<T extends Record<string, unknown>>(input: T, v: Pick<FormValues, 'services' | 'touched' | 'declined'>): T & { services: Service[]; declined?: Declined[] } {
  const declined = (Object.entries(v.declined ?? {}) as [Service, string | undefined][])
    .filter(([s, r]) => (SERVICES as readonly string[]).includes(s) && typeof r === 'string')
    .map(([service, reason]) => ({ service, reason: reason!.trim() }));
  const off = new Set(declined.map((d) => d.service));
  const chosen = v.touched.services ? SERVICES.filter((s) => v.services[s]) : askedByDefault(input);
  const services = chosen.filter((s) => !off.has(s));
  return declined.length ? { ...input, services, declined } : { ...input, services };
}

export function evidenceList(v: FormValues) {
  return EVIDENCE_KINDS.filter((k) => v.evidences[k].present).map((k) => {
    const e = v.evidences[k];
    return opt(e.ref) ? { kind: k, capture: e.capture, ref: t(e.ref) } : { kind: k, capture: e.capture };
  });
}

/**
 * Maps an issue path of the input onto the form field that shows it. Array entries of evidences are mapped back
 * to their kind (the input lists only the evidences present, in `EVIDENCE_KINDS` order).
 */
export function formPathOf(path: string, v: FormValues): string {
  const parts = path.split('.');
  if (parts[0] === 'evidences' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const kind = EVIDENCE_KINDS.filter((k) => v.evidences[k].present)[Number(parts[1])];
    return kind ? `evidences.${kind}` : 'evidences';
  }
  if (parts[0] === 'services' && parts.length > 1) return 'services';
  if (parts[0] === 'declaration' && parts[1] === 'cardDelivery' && parts[2] === 'address') return 'declaration.cardDelivery.address';
  return path;
}

/** The district a card points to: the district of the registered address, else the ID number's address code. */
export function districtFromParent(p: Pick<Parent, 'address' | 'docNumber'>): string | null {
  return districtFromAddress(p.address) ?? districtFromIdNumber(p.docNumber);
}

/** A card's data as the form's fields; a card that never expires shows `permanentWord` (长期 in Chinese). */
export function parentFromCard(p: Parent, permanentWord = '长期'): ParentForm {
  return {
    name: p.name ?? '',
    sex: p.sex ?? '',
    docType: p.docType,
    docNumber: p.docNumber ?? '',
    nationality: p.nationality ?? 'CHN',
    ethnicity: p.ethnicity ?? '',
    birthDate: p.birthDate ?? '',
    address: p.address ?? '',
    phone: p.phone ?? '',
    issuingAuthority: p.issuingAuthority ?? '',
    validFrom: p.validFrom ?? '',
    validTo: p.validTo === 'permanent' ? permanentWord : (p.validTo ?? ''),
    chip: p.chip ?? null,
  };
}

/**
 * Birth date and sex carried by a typed ID number (for a number typed by hand): only from a number that passes
 * its check: a number with one digit wrong fills nothing (its date or sex digit may be the wrong one).
 */
export function factsFromNumber(docNumber: string, now: Date = new Date()): { docType: string | null; birthDate: string | null; sex: string | null } {
  const docType = detectDocType(docNumber);
  if (docType !== 'resident_id' && docType !== 'hmt_permit' && docType !== 'foreign_permanent') return { docType, birthDate: null, sex: null };
  const r = parseIdDocument(docType, docNumber, { now, utcOffsetMinutes: DESK_UTC_OFFSET_MINUTES });
  return r.ok ? { docType, birthDate: r.value.birthDate, sex: r.value.sex } : { docType, birthDate: null, sex: null };
}

export function isParentEmpty(p: ParentForm): boolean {
  return t(p.name) === '' && t(p.docNumber) === '';
}

/** Relationship of the child to the householder when a parent heads the household: 子 (son) or 女 (daughter). */
export function relationshipFor(sex: string): string {
  return sex === '1' ? '子' : sex === '2' ? '女' : '';
}

/** Vaccine from a scanned batch: the city's batch codes start with H (hepatitis B) or B (BCG). */
export function vaccineOfBatch(batch: string): DoseForm['vaccine'] | null {
  if (/^H/.test(batch)) return 'hepb_1';
  if (/^B/.test(batch)) return 'bcg';
  return null;
}

/** Desk local time to the minute (the domain's desk offset, UTC+8), as `YYYY-MM-DDTHH:mm`. */
export function nowMinute(now = new Date()): string {
  const d = new Date(now.getTime() + DESK_UTC_OFFSET_MINUTES * 60_000);
  return d.toISOString().slice(0, 16);
}

/** A stored registration back into the form (to amend and resubmit a rejected or needs-info request). */
export function fromInput(r: RegistrationInput): FormValues {
  const s = (x: unknown) => (x === undefined || x === null ? '' : String(x));
  const parent = (p: Parent): ParentForm => ({ ...parentFromCard(p), phone: s(p.phone) });
  const v = emptyForm(r.id);
  v.mother = {
    ...parent(r.mother),
    inpatientNumber: s(r.mother.inpatientNumber),
    insurance: { insured: r.mother.insurance.insured, insuredDistrict: s(r.mother.insurance.insuredDistrict), bankAccount: s(r.mother.insurance.bankAccount) },
  };
  v.hasFather = r.father !== null;
  if (r.father) v.father = parent(r.father);
  const c = r.child;
  v.child = {
    name: s(c.name),
    sex: c.sex,
    birthDateTime: formatDeskTime(c.birthDateTime),
    gestationalWeeks: s(c.gestationalWeeks),
    weightG: s(c.weightG),
    lengthCm: s(c.lengthCm),
    healthStatus: c.healthStatus,
    deliveryMode: c.deliveryMode,
    attendant: c.attendant,
    plurality: s(c.plurality),
    birthOrder: s(c.birthOrder),
  };
  const d = r.declaration;
  v.declaration = {
    householdDistrict: s(d.householdDistrict),
    householdAddress: s(d.householdAddress),
    relationshipToHouseholder: s(d.relationshipToHouseholder),
    residenceDistrict: s(d.residenceDistrict),
    guardianName: d.guardianName,
    guardianPhone: d.guardianPhone,
    cardDelivery: { method: d.cardDelivery.method, address: s(d.cardDelivery.address), pickupPoint: s(d.cardDelivery.pickupPoint) },
  };
  v.vaccinations = r.vaccinations.map((x) => ({ ...x, givenAt: formatDeskTime(x.givenAt) }));
  for (const e of r.evidences) v.evidences[e.kind] = { present: true, capture: e.capture, ref: s(e.ref) };
  for (const svc of SERVICES) v.services[svc] = r.services.includes(svc);
  v.touched = { guardian: true, services: true, district: true };
  return v;
}
