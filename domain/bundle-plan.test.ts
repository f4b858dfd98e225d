/** Issue 12: validation and the derived requests come from the one rule table, so they never disagree. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRequests } from './bundle';
import { askedByDefault, bundleLines } from './bundle-plan';
import { SERVICES } from './codes';
import { SAMPLE_NOW, sampleRegistration } from './fixtures';
import { validateRegistration } from './validate';

const ctx = { hospitalDistrict: '330302' as const, newId: () => '0190f0f0-0000-7000-8000-000000000001' };

describe('one rule table for validation and requests', () => {
  it('a registration that validates for submit files every chosen service (no silent drop)', () => {
    // Each variation blanks or flips something a rule reads.
    const variations = [
      { declaration: { householdAddress: '' } },
      { declaration: { householdDistrict: undefined } },
      { child: { name: '' } },
      { child: { sex: '0' } },
      { mother: { insurance: { insured: false } } },
      { mother: { insurance: { insured: true, insuredDistrict: undefined } } },
      { declaration: { cardDelivery: { method: 'post' } } },
      { declaration: { cardDelivery: { method: 'pickup', pickupPoint: '' } } },
      { mother: { docType: 'hk_macau_permit' }, father: null },
    ];
    fc.assert(
      fc.property(fc.subarray(variations), fc.subarray([...SERVICES], { minLength: 1 }), (vs, services) => {
        let reg = sampleRegistration({ services } as never);
        for (const v of vs) reg = mergeDeep(reg, v);
        reg = { ...reg, services };
        const r = validateRegistration(reg, { now: SAMPLE_NOW, mode: 'submit' });
        if (!r.ok) return;
        const plan = planRequests({ ...reg, ...r.value } as never, ctx);
        expect(plan.skipped).toEqual([]);
        expect(plan.requests.map((q) => q.service).sort()).toEqual([...services].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('a chosen service missing a field is reported at that field for submit', () => {
    const reg = sampleRegistration({ declaration: { householdAddress: '' } } as never);
    const r = validateRegistration(reg, { now: SAMPLE_NOW, mode: 'submit' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toContain('declaration.householdAddress');
    expect(bundleLines(reg).find((l) => l.service === 'household_registration')).toMatchObject({ state: 'blocked', field: 'declaration.householdAddress' });
  });

  it('missing data does not take a service off the asked-for list; a ruling fact does', () => {
    expect(askedByDefault(sampleRegistration({ child: { name: '' } } as never))).toEqual([...SERVICES]);
    expect(askedByDefault(sampleRegistration({ mother: { insurance: { insured: false } } } as never))).not.toContain('maternity_insurance');
  });

  it('a declined service is listed with its reason and is not filed', () => {
    const reg = { ...sampleRegistration(), services: ['birth_certificate', 'vaccination'], declined: [{ service: 'citizen_card', reason: '家属暂不需要' }] };
    expect(bundleLines(reg).map((l) => `${l.service}:${l.state}`)).toEqual(['birth_certificate:filed', 'vaccination:filed', 'citizen_card:declined']);
    const both = validateRegistration({ ...reg, services: ['birth_certificate', 'citizen_card'] }, { now: SAMPLE_NOW, mode: 'submit' });
    expect(!both.ok && both.issues.map((i) => i.code)).toContain('services.declined_and_chosen');
  });
});

function mergeDeep<T>(a: T, b: unknown): T {
  if (typeof b !== 'object' || b === null || Array.isArray(b) || typeof a !== 'object' || a === null) return b as T;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) out[k] = k in out && v !== null && v !== undefined ? mergeDeep(out[k], v) : v;
  return out as T;
}
