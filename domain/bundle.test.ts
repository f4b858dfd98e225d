import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEPENDENCY_FIELDS,
  SERVICE_RULES,
  deriveRequests,
  explainServices,
  fillDependencyFields,
  idempotencyKey,
  parseIdempotencyKey,
  planRequests,
  type BundleContext,
} from './bundle';
import { SERVICES, type Service } from './codes';
import { SAMPLE_NOW, sampleRegistration } from './fixtures';
import { HOSPITALS, hospitalDistrict, hospitalLabel } from './hospitals';
import { RegistrationSchema, ServiceRequestSchema, type Registration } from './types';
import { validateRegistration } from './validate';

let n = 0;
const ctx: BundleContext = {
  hospitalDistrict: hospitalDistrict('WZ02')!,
  newId: () => `0195a3c2-7b4e-7c1d-9f2a-${String(++n).padStart(12, '0')}`,
};

const byService = (reg: Registration) => Object.fromEntries(deriveRequests(reg, ctx).map((r) => [r.service, r]));
const foreignMother = {
  name: 'Mary Jones',
  sex: '2' as const,
  docType: 'passport' as const,
  docNumber: 'P1234567',
  nationality: 'GBR',
  ethnicity: undefined,
  address: undefined,
};

describe('hospitals', () => {
  it('37 hospitals WZ01–WZ37, each in one of the 12 districts', () => {
    expect(HOSPITALS).toHaveLength(37);
    expect(HOSPITALS.map((h) => h.code)).toEqual(Array.from({ length: 37 }, (_, i) => `WZ${String(i + 1).padStart(2, '0')}`));
    expect(new Set(HOSPITALS.map((h) => h.district)).size).toBe(12);
    expect(hospitalDistrict('WZ01')).toBe('330304'); // 附一院, Ouhai
    expect(hospitalDistrict('wz02')).toBe('330302');
    expect(hospitalDistrict('WZ99')).toBeNull();
    expect(hospitalLabel('WZ27')?.zh).toBe('瑞安市人民医院（瑞安市）');
  });
});

describe('deriveRequests: the sample (all five services, cross-district)', () => {
  const reg = sampleRegistration();
  const requests = deriveRequests(reg, ctx);

  it('is valid to begin with', () => {
    expect(RegistrationSchema.safeParse(reg).success).toBe(true);
    expect(validateRegistration(reg, { now: SAMPLE_NOW, mode: 'submit' }).ok).toBe(true);
  });

  it('files five requests in dependency order with their routing', () => {
    expect(requests.map((r) => [r.service, r.jurisdiction, r.dependsOn])).toEqual([
      ['birth_certificate', '330302', []], // the hospital's district
      ['vaccination', '330302', []], // the hospital's district
      ['maternity_insurance', '330304', ['birth_certificate']], // where the mother is insured
      ['household_registration', '330302', ['birth_certificate']], // the declared district
      ['citizen_card', '330302', ['household_registration']],
    ]);
    expect(new Set(requests.map((r) => r.id)).size).toBe(5);
  });

  it('gives each its idempotency key, revision 1', () => {
    for (const r of requests) expect(r.idempotencyKey).toBe(`${reg.id}:${r.service}:1`);
    expect(idempotencyKey(reg.id, 'citizen_card', 2)).toBe(`${reg.id}:citizen_card:2`);
    expect(parseIdempotencyKey(`${reg.id}:citizen_card:2`)).toEqual({ registrationId: reg.id, service: 'citizen_card', revision: 2 });
    expect(parseIdempotencyKey('x:nothing:1')).toBeNull();
  });

  it('payloads carry what the city reads, dependency fields left null', () => {
    const s = byService(reg);
    for (const r of requests) {
      const p = r.payload;
      expect(p.hospitalCode).toBe('WZ02');
      expect(p.mother).toEqual({
        name: '陈晓燕',
        docType: 'resident_id',
        docNumber: reg.mother.docNumber,
        nationality: 'CHN',
        ethnicity: '01',
        birthDate: '1994-05-12',
        insured: true,
        insuredDistrict: '330304',
      });
      expect(p.father).toMatchObject({ name: '林建华', docNumber: reg.father!.docNumber });
      // the child as the city reads it: these fields of the registration's child, no more
      const childFields = ['name', 'sex', 'birthDateTime', 'gestationalWeeks', 'weightG', 'lengthCm', 'healthStatus'] as const;
      expect(p.child).toEqual(Object.fromEntries(childFields.map((k) => [k, reg.child[k]])));
      expect(p.child).toMatchObject({ name: '林若溪', birthDateTime: '2026-03-14T08:25' });
      // a complete ServiceRequest row can be built from it
      const row = {
        ...r,
        registrationId: reg.id,
        state: 'queued',
        serverId: null,
        serverStatus: null,
        reason: null,
        documentNumber: null,
        attempts: 0,
        nextAttemptAt: null,
        lastError: null,
        createdAt: '2026-03-14T10:40:00+08:00',
        updatedAt: '2026-03-14T10:40:00+08:00',
      };
      expect(ServiceRequestSchema.safeParse(row).success).toBe(true);
    }
    expect(s.birth_certificate!.payload).toMatchObject({ birth: { attendant: '王丽华', placeOfBirth: '温州医科大学附属第二医院（育英儿童医院）' } });
    expect(s.vaccination!.payload).toMatchObject({ guardian: { phone: '13957712345' }, residenceDistrict: '330302' });
    expect(s.vaccination!.payload.doses).toHaveLength(2);
    expect(s.maternity_insurance!.payload).toMatchObject({ birthCertificateNumber: null, delivery: { date: '2026-03-14', mode: 'vaginal' } });
    expect(s.household_registration!.payload).toMatchObject({
      birthCertificateNumber: null,
      householdDistrict: '330302',
      householdAddress: reg.declaration.householdAddress,
    });
    expect(s.citizen_card!.payload).toMatchObject({ childIdNumber: null, photo: null, cardDelivery: { method: 'pickup' } });
  });

  it('the dependency fields are data: birth certificate → number, household registration → child ID', () => {
    expect(DEPENDENCY_FIELDS).toEqual({ birth_certificate: 'birthCertificateNumber', household_registration: 'childIdNumber' });
    const s = byService(reg);
    const filled = fillDependencyFields(s.household_registration!.payload, ['birth_certificate'], { birth_certificate: 'X320101001' });
    expect(filled).toMatchObject({ missing: [], payload: { birthCertificateNumber: 'X320101001' } });
    expect(s.household_registration!.payload.birthCertificateNumber).toBeNull(); // not mutated
    expect(fillDependencyFields(s.citizen_card!.payload, ['household_registration'], {}).missing).toEqual(['household_registration']);
    // every field a dependant carries is one its dependency fills
    for (const rule of SERVICE_RULES) {
      for (const dep of rule.dependsOn) expect(s[rule.service]!.payload).toHaveProperty(DEPENDENCY_FIELDS[dep as keyof typeof DEPENDENCY_FIELDS]);
    }
  });
});

describe('case by case', () => {
  it('a mother insured in another district: the claim goes there', () => {
    const reg = sampleRegistration({ mother: { insurance: { insured: true, insuredDistrict: '330382' } } });
    expect(byService(reg).maternity_insurance!.jurisdiction).toBe('330382');
    expect(byService(reg).birth_certificate!.jurisdiction).toBe('330302');
  });

  it('a mother not insured: no claim, and the reason says so', () => {
    const reg = sampleRegistration({
      mother: { insurance: { insured: false, insuredDistrict: undefined } },
      services: ['birth_certificate', 'vaccination', 'household_registration', 'citizen_card'],
    });
    expect(deriveRequests(reg, ctx).map((r) => r.service)).toEqual(['birth_certificate', 'vaccination', 'household_registration', 'citizen_card']);
    const e = explainServices(reg, ctx).find((x) => x.service === 'maternity_insurance')!;
    expect(e).toMatchObject({ chosen: false, applicable: false, jurisdiction: null });
    expect(e.reasonIfNot?.en).toBe('The mother is not covered by maternity insurance');
  });

  it('a father absent: payloads carry father null, nothing else changes', () => {
    const reg = sampleRegistration({ father: null, evidences: [{ kind: 'mother_id', capture: 'id_reader' }] });
    expect(validateRegistration(reg, { now: SAMPLE_NOW, mode: 'submit' }).ok).toBe(true);
    const rs = deriveRequests(reg, ctx);
    expect(rs).toHaveLength(5);
    for (const r of rs) expect(r.payload.father).toBeNull();
  });

  it('a foreign mother with a Chinese father: household registration through the father', () => {
    const reg = sampleRegistration({ mother: foreignMother });
    const rs = byService(reg);
    expect(Object.keys(rs)).toHaveLength(5);
    expect(rs.birth_certificate!.payload.mother).toMatchObject({ docType: 'passport', nationality: 'GBR', ethnicity: null });
  });

  it('a foreign mother alone: no household registration, no citizen card, and why', () => {
    const reg = sampleRegistration({ mother: foreignMother, father: null, services: ['birth_certificate', 'vaccination', 'maternity_insurance'] });
    const ex = explainServices(reg, ctx);
    expect(ex.find((e) => e.service === 'household_registration')!.reasonIfNot?.en).toBe(
      'Household registration needs at least one parent holding a Chinese resident ID card',
    );
    expect(ex.find((e) => e.service === 'citizen_card')!.applicable).toBe(false);
    expect(deriveRequests(reg, ctx).map((r) => r.service)).toEqual(['birth_certificate', 'vaccination', 'maternity_insurance']);
  });

  it('twins: two registrations, same mother, separate requests told apart by birth order', () => {
    const a = sampleRegistration({ child: { plurality: 2, birthOrder: 1 } });
    const b = sampleRegistration({ id: '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f81', child: { name: '林若水', sex: '1', plurality: 2, birthOrder: 2, birthDateTime: '2026-03-14T08:31' } });
    const ra = deriveRequests(a, ctx);
    const rb = deriveRequests(b, ctx);
    expect(ra).toHaveLength(5);
    expect(rb).toHaveLength(5);
    const keys = new Set([...ra, ...rb].map((r) => r.idempotencyKey));
    expect(keys.size).toBe(10);
    expect(byService(b).birth_certificate!.payload.birth).toMatchObject({ plurality: 2, birthOrder: 2 });
    expect(byService(a).household_registration!.payload.birth).toEqual({ plurality: 2, birthOrder: 1 });
    expect(byService(a).birth_certificate!.payload.mother).toEqual(byService(b).birth_certificate!.payload.mother);
  });

  it('a child not yet named: household registration does not apply, the citizen card neither, and they say why', () => {
    const reg = sampleRegistration({ child: { name: undefined }, services: ['birth_certificate', 'vaccination', 'maternity_insurance'] });
    const ex = Object.fromEntries(explainServices(reg, ctx).map((e) => [e.service, e]));
    expect(ex.household_registration).toMatchObject({
      applicable: false,
      reasonIfNot: { zh: '孩子尚未取名：取名后才能办理出生户口登记', en: 'The child has no name yet: household registration needs the name' },
      jurisdiction: '330302',
      dependsOn: ['birth_certificate'],
    });
    expect(ex.citizen_card!.applicable).toBe(false);
    expect(ex.citizen_card!.reasonIfNot?.en).toContain('household registration');
    expect(deriveRequests(reg, ctx).map((r) => r.service)).toEqual(['birth_certificate', 'vaccination', 'maternity_insurance']);
    expect(byService(reg).birth_certificate!.payload.child).toMatchObject({ name: null });
  });

  it('a child whose sex is not determined: no household registration yet', () => {
    const e = explainServices(sampleRegistration({ child: { sex: '0' } }), ctx).find((x) => x.service === 'household_registration')!;
    expect(e).toMatchObject({ applicable: false, reasonIfNot: { en: 'Household registration needs the sex as male or female: the ID number encodes it' } });
  });

  it('chosen but not applicable is reported as skipped, never filed', () => {
    const reg = sampleRegistration({ child: { name: '' } });
    const plan = planRequests(reg, ctx);
    expect(plan.requests.map((r) => r.service)).toEqual(['birth_certificate', 'vaccination', 'maternity_insurance']);
    expect(plan.skipped.map((s) => [s.service, s.code])).toEqual([
      ['household_registration', 'household.child_unnamed'],
      ['citizen_card', 'bundle.citizen_card_needs_household'],
    ]);
  });

  it('a different desk hospital routes the certificate and vaccinations to its own district', () => {
    const reg = sampleRegistration({ hospitalCode: 'WZ31' });
    const rs = byService(reg);
    const yq = { ...ctx, hospitalDistrict: hospitalDistrict('WZ31')! };
    expect(deriveRequests(reg, yq).map((r) => [r.service, r.jurisdiction])).toEqual([
      ['birth_certificate', '330382'],
      ['vaccination', '330382'],
      ['maternity_insurance', '330304'],
      ['household_registration', '330302'],
      ['citizen_card', '330302'],
    ]);
    expect(rs.birth_certificate!.payload.hospitalCode).toBe('WZ31');
  });
});

describe('explainServices on drafts', () => {
  it('an empty draft: routes what it can, says what is missing', () => {
    const ex = explainServices({}, ctx);
    expect(ex.map((e) => e.service)).toEqual([...SERVICES]);
    expect(ex.map((e) => [e.service, e.applicable, e.jurisdiction])).toEqual([
      ['birth_certificate', true, '330302'],
      ['vaccination', true, '330302'],
      ['maternity_insurance', false, null],
      ['household_registration', false, null],
      ['citizen_card', false, null],
    ]);
    for (const e of ex) if (!e.applicable) expect(e.reasonIfNot?.zh.length).toBeGreaterThan(0);
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), (x) => {
        const ex = explainServices(x, ctx);
        expect(ex).toHaveLength(5);
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with deriveRequests on a valid registration: applicable and chosen ⇔ filed', () => {
    const sets: Service[][] = [
      [...SERVICES],
      ['birth_certificate'],
      ['birth_certificate', 'household_registration'],
      ['birth_certificate', 'maternity_insurance', 'vaccination'],
      ['vaccination'],
    ];
    for (const services of sets) {
      const reg = sampleRegistration({ services });
      const filed = deriveRequests(reg, ctx).map((r) => r.service);
      const explained = explainServices(reg, ctx).filter((e) => e.chosen && e.applicable).map((e) => e.service);
      expect(filed).toEqual(explained);
    }
  });
});
