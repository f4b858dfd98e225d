/**
 * Bundle rules: one entry → the service requests it becomes. Data-driven: `SERVICE_RULES` has one row per
 * service — when it applies (and why not), where it is routed, what it waits for, and its payload, which is
 * the service's own projection of the one entry. `deriveRequests` turns a stored registration into requests;
 * `explainServices` lets the UI show, per service, routing, dependencies and why it cannot apply, on a
 * registration or a half-typed draft.
 *
 * Cross-district filing is the normal case: the birth certificate and the first vaccinations go to the
 * hospital's district, household registration and the citizen card to the declared district, the maternity
 * claim to the district where the mother is insured.
 */
import { DISTRICTS, SERVICES, type DistrictCode, type Service } from './codes';
import { getHospital } from './hospitals';
import type { Localized } from './idnumber';
import type { Registration } from './types';

export interface BundleContext {
  /** District of the desk's hospital (config). */
  hospitalDistrict: DistrictCode;
  newId: () => string;
}

export interface DerivedRequest {
  id: string;
  service: Service;
  jurisdiction: DistrictCode;
  dependsOn: Service[];
  payload: Record<string, unknown>;
  idempotencyKey: string;
}

/**
 * Why a service cannot be filed: `missing` — a field the clerk can still fill (at `field`); `ineligible` — a
 * fact of the family rules it out (not insured, no parent with a resident ID), so it is not asked for by default.
 */
export type Applicability = { ok: true } | { ok: false; code: string; reason: Localized; field: string; kind: 'missing' | 'ineligible' };

export interface ServiceRule {
  service: Service;
  /** Services whose result this request waits for (their result fills `DEPENDENCY_FIELDS`). */
  dependsOn: readonly Service[];
  /** Whether the service can be filed for this entry (a registration or a draft of any shape). */
  applies(reg: unknown): Applicability;
  /** Every reason it cannot be filed (when there can be several); defaults to `applies` alone. */
  problems?(reg: unknown): Applicability[];
  /** District the request is routed to; null while the entry does not say. */
  jurisdiction(reg: unknown, ctx: Pick<BundleContext, 'hospitalDistrict'>): DistrictCode | null;
  /** The service's own payload (dependency fields left null: the sync engine fills them). */
  payload(reg: Registration, ctx: Pick<BundleContext, 'hospitalDistrict'>): Record<string, unknown>;
}

/** Which dependency's result (the city's issued document number) fills which payload field. */
export const DEPENDENCY_FIELDS = {
  birth_certificate: 'birthCertificateNumber',
  household_registration: 'childIdNumber',
} as const satisfies Partial<Record<Service, string>>;
export type DependencyField = (typeof DEPENDENCY_FIELDS)[keyof typeof DEPENDENCY_FIELDS];

/** `${registrationId}:${service}:${revision}` — revision 1 at submit; an amended request gets 2, 3… */
export function idempotencyKey(registrationId: string, service: Service, revision = 1): string {
  return `${registrationId}:${service}:${revision}`;
}

export function parseIdempotencyKey(key: string): { registrationId: string; service: Service; revision: number } | null {
  const m = /^(.+):([a-z_]+):(\d+)$/.exec(key);
  if (!m || !(SERVICES as readonly string[]).includes(m[2]!)) return null;
  return { registrationId: m[1]!, service: m[2] as Service, revision: Number(m[3]) };
}

// ——— loose readers (rules run on drafts too) ———
type Loose = Record<string, unknown>;
const obj = (x: unknown): Loose | undefined => (typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : undefined);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);
const district = (x: unknown): DistrictCode | null => (typeof x === 'string' && x in DISTRICTS ? (x as DistrictCode) : null);
const chosen = (reg: unknown): Service[] => {
  const s = obj(reg)?.services;
  return Array.isArray(s) ? s.filter((x): x is Service => typeof x === 'string' && (SERVICES as readonly string[]).includes(x)) : [];
};

const OK: Applicability = { ok: true };
const no = (code: string, zh: string, en: string, field = 'services', kind: 'missing' | 'ineligible' = 'missing'): Applicability => ({
  ok: false,
  code,
  reason: { zh, en },
  field,
  kind,
});
const needsBirthCertificate = (reg: unknown): Applicability | null =>
  chosen(reg).includes('birth_certificate')
    ? null
    : no('bundle.needs_birth_certificate', '需要同时办理出生医学证明（等待其编号）', 'Needs the birth certificate in the same bundle (it waits for its number)');

function insuredDistrict(reg: unknown): DistrictCode | null {
  return district(obj(obj(obj(reg)?.mother)?.insurance)?.insuredDistrict);
}

/** Everything household registration still lacks (all of it, so the form can mark every field at once). */
function householdProblems(reg: unknown): Applicability[] {
  const r = obj(reg);
  const parents = [obj(r?.mother), obj(r?.father)];
  if (!parents.some((p) => p?.docType === 'resident_id')) {
    return [no('bundle.household_needs_citizen_parent', '父母至少一方须持中国居民身份证才能办理出生户口登记', 'Household registration needs at least one parent holding a Chinese resident ID card', 'services', 'ineligible')];
  }
  const out: Applicability[] = [];
  if (!str(obj(r?.child)?.name)) {
    out.push(no('household.child_unnamed', '孩子尚未取名：取名后才能办理出生户口登记', 'The child has no name yet: household registration needs the name', 'child.name'));
  }
  const sex = obj(r?.child)?.sex;
  if (sex === '0' || sex === '9') {
    out.push(no('household.child_sex', '出生户口登记需要明确的性别（男或女），身份证号码按性别编排', 'Household registration needs the sex as male or female: the ID number encodes it', 'child.sex'));
  }
  const decl = obj(r?.declaration);
  if (!district(decl?.householdDistrict)) out.push(no('household.no_district', '未选择申报落户的区县', 'No household district has been declared', 'declaration.householdDistrict'));
  if (!str(decl?.householdAddress)) out.push(no('household.no_address', '未填写落户地址', 'No household address has been given', 'declaration.householdAddress'));
  const bc = needsBirthCertificate(reg);
  if (bc) out.push(bc);
  return out;
}

function householdApplies(reg: unknown): Applicability {
  return householdProblems(reg)[0] ?? OK;
}

// ——— payload projections ———
function parentPayload(p: Registration['father'], insurance?: Registration['mother']['insurance']) {
  if (!p) return null;
  return {
    name: p.name,
    docType: p.docType,
    docNumber: p.docNumber,
    nationality: p.nationality,
    ethnicity: p.ethnicity ?? null,
    birthDate: p.birthDate,
    ...(insurance ? { insured: insurance.insured, insuredDistrict: insurance.insuredDistrict ?? null } : {}),
  };
}

/** What every payload carries: who is filing, the mother, the father (or null) and the child. */
function common(reg: Registration) {
  const c = reg.child;
  return {
    registrationId: reg.id,
    hospitalCode: reg.hospitalCode,
    mother: parentPayload(reg.mother, reg.mother.insurance)!,
    father: parentPayload(reg.father),
    child: {
      name: str(c.name) ?? null,
      sex: c.sex,
      birthDateTime: c.birthDateTime,
      gestationalWeeks: c.gestationalWeeks,
      weightG: c.weightG,
      lengthCm: c.lengthCm,
      healthStatus: c.healthStatus,
    },
  };
}

const guardian = (reg: Registration) => ({ name: reg.declaration.guardianName, phone: reg.declaration.guardianPhone });

/** The table: one row per service, in dependency order (a service comes after what it waits for). */
export const SERVICE_RULES: readonly ServiceRule[] = [
  {
    service: 'birth_certificate',
    dependsOn: [],
    applies: () => OK,
    jurisdiction: (_reg, ctx) => ctx.hospitalDistrict,
    payload: (reg) => ({
      ...common(reg),
      birth: {
        plurality: reg.child.plurality,
        birthOrder: reg.child.birthOrder,
        deliveryMode: reg.child.deliveryMode,
        attendant: reg.child.attendant,
        placeOfBirth: getHospital(reg.hospitalCode)?.zh ?? reg.hospitalCode,
      },
    }),
  },
  {
    service: 'vaccination',
    dependsOn: [],
    applies: () => OK,
    // The first doses are given at the hospital: its district registers them (DESIGN).
    jurisdiction: (_reg, ctx) => ctx.hospitalDistrict,
    payload: (reg, ctx) => ({
      ...common(reg),
      guardian: guardian(reg),
      residenceDistrict: reg.declaration.residenceDistrict ?? reg.declaration.householdDistrict ?? ctx.hospitalDistrict,
      doses: reg.vaccinations.map((d) => ({ ...d })),
    }),
  },
  {
    service: 'maternity_insurance',
    dependsOn: ['birth_certificate'],
    applies: (reg) => {
      const ins = obj(obj(obj(reg)?.mother)?.insurance);
      if (ins?.insured !== true) {
        return no('insurance.not_insured', '母亲未参加生育保险', 'The mother is not covered by maternity insurance', 'mother.insurance.insured', 'ineligible');
      }
      if (!insuredDistrict(reg)) return no('insurance.no_district', '未填写母亲的参保地', "The mother's insured district is not given", 'mother.insurance.insuredDistrict');
      return needsBirthCertificate(reg) ?? OK;
    },
    jurisdiction: (reg) => insuredDistrict(reg),
    payload: (reg) => ({
      ...common(reg),
      delivery: { date: reg.child.birthDateTime.slice(0, 10), mode: reg.child.deliveryMode, hospitalCode: reg.hospitalCode },
      bankAccount: reg.mother.insurance.bankAccount ?? null,
      birthCertificateNumber: null,
    }),
  },
  {
    service: 'household_registration',
    dependsOn: ['birth_certificate'],
    applies: householdApplies,
    problems: householdProblems,
    jurisdiction: (reg) => district(obj(obj(reg)?.declaration)?.householdDistrict),
    payload: (reg) => ({
      ...common(reg),
      householdDistrict: reg.declaration.householdDistrict ?? null,
      householdAddress: reg.declaration.householdAddress ?? null,
      relationshipToHouseholder: reg.declaration.relationshipToHouseholder ?? null,
      parentsAddress: { mother: reg.mother.address ?? null, father: reg.father?.address ?? null },
      birth: { plurality: reg.child.plurality, birthOrder: reg.child.birthOrder },
      birthCertificateNumber: null,
    }),
  },
  {
    service: 'citizen_card',
    dependsOn: ['household_registration'],
    applies: (reg) => {
      if (!chosen(reg).includes('household_registration')) {
        return no('bundle.citizen_card_needs_household', '需要同时办理出生户口登记（市民卡要用孩子的身份证号码）', "Needs household registration in the same bundle (the card needs the child's ID number)");
      }
      const h = householdApplies(reg);
      if (!h.ok) {
        return no('bundle.citizen_card_needs_household', `出生户口登记暂不能办理：${h.reason.zh}`, `Household registration cannot be filed yet: ${h.reason.en}`, h.field, h.kind);
      }
      const delivery = obj(obj(obj(reg)?.declaration)?.cardDelivery);
      if (delivery?.method === 'post' && !str(delivery.address)) {
        return no('card.no_post_address', '邮寄市民卡需要邮寄地址', 'Posting the card needs a postal address', 'declaration.cardDelivery.address');
      }
      if (delivery?.method === 'pickup' && !str(delivery.pickupPoint)) {
        return no('card.no_pickup_point', '到网点领取市民卡需要领取网点', 'Picking the card up needs a pick-up point', 'declaration.cardDelivery.pickupPoint');
      }
      return OK;
    },
    jurisdiction: (reg) => district(obj(obj(reg)?.declaration)?.householdDistrict),
    payload: (reg) => ({
      ...common(reg),
      guardian: guardian(reg),
      cardDelivery: { ...reg.declaration.cardDelivery },
      // no photo under 7 years of age
      photo: null,
      childIdNumber: null,
    }),
  },
];

export const SERVICE_RULE: Readonly<Record<Service, ServiceRule>> = Object.fromEntries(SERVICE_RULES.map((r) => [r.service, r])) as Record<
  Service,
  ServiceRule
>;

export interface ServiceExplanation {
  service: Service;
  /** Whether the clerk has chosen it. */
  chosen: boolean;
  applicable: boolean;
  reasonIfNot: Localized | null;
  jurisdiction: DistrictCode | null;
  dependsOn: Service[];
}

/** Per service (all five, in order): chosen, applicable or why not, routing, dependencies. Never throws. */
export function explainServices(regOrDraft: unknown, ctx: Pick<BundleContext, 'hospitalDistrict'>): ServiceExplanation[] {
  const picked = chosen(regOrDraft);
  return SERVICE_RULES.map((rule) => {
    let a: Applicability;
    let j: DistrictCode | null;
    try {
      a = rule.applies(regOrDraft);
      j = rule.jurisdiction(regOrDraft, ctx);
    } catch {
      a = no('draft.unreadable', '登记信息无法读取', 'The entry could not be read', '', 'ineligible');
      j = null;
    }
    return {
      service: rule.service,
      chosen: picked.includes(rule.service),
      applicable: a.ok,
      reasonIfNot: a.ok ? null : a.reason,
      jurisdiction: j,
      dependsOn: [...rule.dependsOn],
    };
  });
}

export interface RequestPlan {
  requests: DerivedRequest[];
  /** Chosen services that cannot be filed, with why (validation prevents this on submit). */
  skipped: { service: Service; code: string; reason: Localized }[];
}

/** The requests of a registration: each chosen, applicable service, in dependency order. */
export function planRequests(reg: Registration, ctx: BundleContext): RequestPlan {
  const picked = new Set(reg.services);
  const plan: RequestPlan = { requests: [], skipped: [] };
  const filed = new Set<Service>();
  for (const rule of SERVICE_RULES) {
    if (!picked.has(rule.service)) continue;
    const a = rule.applies(reg);
    const jurisdiction = rule.jurisdiction(reg, ctx);
    const missingDep = rule.dependsOn.find((d) => !filed.has(d));
    if (!a.ok || jurisdiction === null || missingDep) {
      const reason = !a.ok
        ? a
        : missingDep
          ? no('bundle.dependency_not_filed', '所依赖的事项无法办理', 'A service it waits for cannot be filed')
          : no('bundle.no_jurisdiction', '无法确定受理区县', 'No district to route it to');
      if (!reason.ok) plan.skipped.push({ service: rule.service, code: reason.code, reason: reason.reason });
      continue;
    }
    filed.add(rule.service);
    plan.requests.push({
      id: ctx.newId(),
      service: rule.service,
      jurisdiction,
      dependsOn: [...rule.dependsOn],
      payload: rule.payload(reg, ctx),
      idempotencyKey: idempotencyKey(reg.id, rule.service, 1),
    });
  }
  return plan;
}

/** `planRequests(reg, ctx).requests`: the bundle's requests (validate the registration first). */
export function deriveRequests(reg: Registration, ctx: BundleContext): DerivedRequest[] {
  return planRequests(reg, ctx).requests;
}

/**
 * Fills a request's dependency fields from its dependencies' issued document numbers (the sync engine calls
 * this before sending). Returns the new payload and the dependencies still without a result.
 */
export function fillDependencyFields(
  payload: Record<string, unknown>,
  dependsOn: readonly Service[],
  results: Partial<Record<Service, string | null>>,
): { payload: Record<string, unknown>; missing: Service[] } {
  const out = { ...payload };
  const missing: Service[] = [];
  for (const dep of dependsOn) {
    const field = (DEPENDENCY_FIELDS as Partial<Record<Service, string>>)[dep];
    const value = results[dep];
    if (!field) continue;
    if (typeof value === 'string' && value !== '') out[field] = value;
    else missing.push(dep);
  }
  return { payload: out, missing };
}
