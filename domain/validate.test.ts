import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_IDS, SAMPLE_NOW, sampleRegistrationInput, type DeepPartial } from './fixtures';
import { downgradeId18, withCheckChar, withIcaoCheckDigit } from './idnumber';
import { FieldIssueSchema, type FieldIssue, type RegistrationInput } from './types';
import { normalizeName, validateChild, validateParent, validateRegistration, type ValidateOptions } from './validate';

const submit: ValidateOptions = { now: SAMPLE_NOW, mode: 'submit' };
const draft: ValidateOptions = { now: SAMPLE_NOW, mode: 'draft' };

function check(overrides: DeepPartial<RegistrationInput> | RegistrationInput, opts = submit) {
  const input = 'id' in overrides && 'mother' in overrides && 'child' in overrides ? overrides : sampleRegistrationInput(overrides);
  const r = validateRegistration(input, opts);
  return { ...r, issues: r.ok ? [] : r.issues, codes: (r.ok ? [] : r.issues).map((i) => `${i.path} ${i.code}`), warns: r.warnings.map((i) => `${i.path} ${i.code}`) };
}

describe('the sample registration', () => {
  it('is valid for submit, with no warnings, now and at the sample time', () => {
    const r = check({});
    expect(r.codes).toEqual([]);
    expect(r.warns).toEqual([]);
    expect(r.ok).toBe(true);
    expect(validateRegistration(sampleRegistrationInput(), { now: new Date(), mode: 'submit' }).ok).toBe(true);
  });

  it('returns normalised values: x → X, the 15-digit number upgraded, names and phones tidied', () => {
    const legacyFather = downgradeId18(SAMPLE_IDS.father)!;
    const r = validateRegistration(
      sampleRegistrationInput({
        mother: { docNumber: ` ${SAMPLE_IDS.mother.toLowerCase()} `, phone: '+86 139 5771 2345', nationality: 'chn' },
        father: { docNumber: legacyFather },
        child: { name: '林 若溪' },
      }),
      submit,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.mother.docNumber).toBe(SAMPLE_IDS.mother);
      expect(r.value.mother.phone).toBe('13957712345');
      expect(r.value.mother.nationality).toBe('CHN');
      expect(r.value.father?.docNumber).toBe(SAMPLE_IDS.father);
      expect(r.value.child.name).toBe('林若溪');
      expect(r.warnings.map((w) => w.code)).toContain('id.upgraded_15');
    }
  });
});

describe('identity documents and parents', () => {
  it('reports a wrong check digit at the document number, in plain words', () => {
    const bad = SAMPLE_IDS.mother.slice(0, 17) + (SAMPLE_IDS.mother[17] === '0' ? '1' : '0');
    const r = check({ mother: { docNumber: bad } });
    expect(r.issues).toContainEqual({
      path: 'mother.docNumber',
      code: 'id.checksum',
      message: { zh: '身份证号码校验不通过：请逐位核对（可能有一位输错）', en: 'The ID number fails its check: compare it character by character (one may be mistyped)' },
    });
  });

  it('requires the stated birth date to match the ID', () => {
    expect(check({ mother: { birthDate: '1994-05-13' } }).codes).toEqual(['mother.birthDate id.birthdate_mismatch']);
  });

  it('checks sex: the mother is female, a stated sex matches the parity', () => {
    expect(check({ mother: { sex: '1' } }).codes).toEqual(['mother.sex sex.mother_female']);
    expect(check({ father: { sex: '2' } }).codes).toEqual(['father.sex id.sex_mismatch']);
    const maleId = withCheckChar('33030219940512137')!;
    expect(check({ mother: { docNumber: maleId } }).codes).toEqual(['mother.docNumber id.sex_mismatch']);
  });

  it('sends an HK permit number typed as a resident ID to the right type', () => {
    expect(check({ mother: { docNumber: withCheckChar('81000019940512128')! } }).codes).toEqual(['mother.docNumber id.is_permit']);
    const ok = check({ mother: { docType: 'hmt_permit', docNumber: withCheckChar('81000019940512128')!, ethnicity: undefined } });
    expect(ok.codes).toEqual([]);
  });

  it('accepts Chinese names with rare characters and the minority middle dot, rejects Latin for resident IDs', () => {
    expect(check({ mother: { name: '阿依古丽·买买提' } }).codes).toEqual([]);
    expect(check({ mother: { name: '王𠮷' } }).codes).toEqual([]); // U+20BB7, CJK extension B
    expect(check({ mother: { name: '阿依古丽•买买提' } }).ok).toBe(true); // bullet normalised to ·
    expect(normalizeName(' 阿依古丽 ・ 买买提 ')).toBe('阿依古丽·买买提');
    expect(check({ mother: { name: 'Chen Xiaoyan' } }).codes).toEqual(['mother.name name.chars']);
    expect(check({ mother: { name: '陈' } }).codes).toEqual(['mother.name name.chars']);
    expect(check({ mother: { name: '·陈晓燕' } }).codes).toEqual(['mother.name name.chars']);
    expect(check({ mother: { name: '陈晓燕2' } }).codes).toEqual(['mother.name name.chars']);
  });

  it('a foreign mother on a passport: Latin name, no ethnicity, any nationality', () => {
    const r = check({
      mother: { name: "Anna-Maria O'Neil", docType: 'passport', docNumber: 'x12345678', nationality: 'USA', ethnicity: undefined, address: undefined },
    });
    expect(r.codes).toEqual([]);
    expect(check({ mother: { docType: 'passport', docNumber: 'X12345678', nationality: 'US' } }).codes).toContain('mother.nationality nationality.format');
    expect(check({ mother: { docType: 'passport', docNumber: 'X12345678', nationality: 'ZZZ', name: 'Anna Smith', ethnicity: undefined } }).warns).toEqual([
      'mother.nationality nationality.unknown',
    ]);
  });

  it("a foreigner's 2017 card: nationality must agree with its letters", () => {
    const card = withIcaoCheckDigit('USA33019405122')!; // born 1994-05-12, even: female
    const base = { name: 'Mary Jones', docType: 'foreign_permanent' as const, docNumber: card, ethnicity: undefined };
    expect(check({ mother: { ...base, nationality: 'USA' } }).codes).toEqual([]);
    expect(check({ mother: { ...base, nationality: 'GBR' } }).codes).toEqual(['mother.nationality id.nationality_mismatch']);
    expect(check({ mother: { ...base, nationality: 'CHN' } }).codes).toEqual(['mother.nationality nationality.mismatch']);
  });

  it('needs a GB/T 3304 ethnicity for resident ID holders', () => {
    expect(check({ mother: { ethnicity: undefined } }).codes).toEqual(['mother.ethnicity required']);
    expect(check({ mother: { ethnicity: '99' } }).codes).toEqual(['mother.ethnicity ethnicity.code']);
    expect(check({ mother: { ethnicity: '22' } }).codes).toEqual([]); // 畲族, at home in Wenzhou's counties
  });

  it('resident ID holders are Chinese citizens', () => {
    expect(check({ father: { nationality: 'USA' } }).codes).toEqual(['father.nationality nationality.mismatch']);
  });

  it('checks phones: mobiles and landlines with area code', () => {
    expect(check({ mother: { phone: '0577-88001234' } }).codes).toEqual([]);
    expect(check({ mother: { phone: '057788001234' } }).codes).toEqual([]);
    expect(check({ mother: { phone: '12345678901' } }).codes).toEqual(['mother.phone phone.format']);
    expect(check({ mother: { phone: '88001234' } }).codes).toEqual(['mother.phone phone.format']);
  });

  it('checks document validity dates', () => {
    expect(check({ mother: { validTo: '2025-01-01', validFrom: '2005-01-01' } }).warns).toEqual(['mother.validTo id.expired']);
    expect(check({ mother: { validTo: '2019-01-01' } }).codes).toEqual(['mother.validTo date.order']);
    expect(check({ mother: { validTo: 'permanent' } }).codes).toEqual([]);
    expect(check({ mother: { validFrom: '2020-02-30' } }).codes).toEqual(['mother.validFrom date.invalid']);
  });

  it("the mother's age at the birth", () => {
    const at = (birth: string, seq = '128') => ({ mother: { birthDate: birth, docNumber: withCheckChar(`330302${birth.replace(/-/g, '')}${seq}`)! } });
    expect(check(at('2014-03-15')).codes).toEqual(['mother.birthDate age.mother_min']); // 11 the day before her 12th birthday
    expect(check(at('2014-03-14')).codes).toEqual([]); // 12 that very day
    expect(check(at('2014-03-14')).warns).toEqual(['mother.birthDate age.mother_plausible']);
    expect(check(at('2010-06-01')).warns).toEqual(['mother.birthDate age.mother_plausible']); // 15
    expect(check(at('1975-01-01')).warns).toEqual(['mother.birthDate age.mother_plausible']); // 51
    expect(check(at('1980-01-01')).warns).toEqual([]); // 46
  });

  it('validateParent checks a section on its own', () => {
    const mother = sampleRegistrationInput().mother;
    expect(validateParent(mother, 'mother', submit)).toEqual({ ok: true, issues: [], warnings: [] });
    const r = validateParent({ ...mother, docNumber: '123', birthDate: '1994-13-01' }, 'mother', submit);
    expect(r.issues.map((i) => `${i.path} ${i.code}`)).toEqual(['mother.docNumber id.format', 'mother.birthDate date.invalid']);
    expect(validateParent(null, 'father', submit).ok).toBe(true);
    expect(validateParent(null, 'mother', submit).issues[0]?.path).toBe('mother');
    expect(validateParent({ name: '陈晓' }, 'father', draft)).toEqual({ ok: true, issues: [], warnings: [] });
    expect(validateParent({ name: '陈晓' }, 'father', submit).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['father.docType', 'father.docNumber', 'father.nationality', 'father.birthDate']),
    );
  });
});

describe('the child', () => {
  it('birth date-time is real and not in the future', () => {
    expect(check({ child: { birthDateTime: '2026-02-30T08:25' } }).codes).toEqual(['child.birthDateTime date.invalid']);
    expect(check({ child: { birthDateTime: '2026-03-14T24:10' } }).codes).toEqual(['child.birthDateTime date.invalid']);
    // 10:00 in Wenzhou; 10:01 is in the future (and the vaccinations were not given before the birth)
    const r = check({ child: { birthDateTime: '2026-03-15T10:01' }, vaccinations: [] });
    expect(r.codes).toEqual(['child.birthDateTime date.future']);
    expect(check({ child: { birthDateTime: '2026-03-15T09:59' }, vaccinations: [] }).codes).toEqual([]);
    expect(check({ child: { birthDateTime: '2026-3-14 08:25' } }).codes).toEqual(['child.birthDateTime format']);
  });

  it('weight 300–7000 g, whole grams; warnings under 1000 or over 5000', () => {
    expect(check({ child: { weightG: 299 } }).codes).toEqual(['child.weightG range.weight']);
    expect(check({ child: { weightG: 7001 } }).codes).toEqual(['child.weightG range.weight']);
    expect(check({ child: { weightG: 3350.5 } }).codes).toEqual(['child.weightG number.integer']);
    expect(check({ child: { weightG: 300 } }).warns).toEqual(['child.weightG plausible.weight']);
    expect(check({ child: { weightG: 5200 } }).warns).toEqual(['child.weightG plausible.weight']);
    expect(check({ child: { weightG: 1000 } }).warns).toEqual([]);
    const m = check({ child: { weightG: 8000 } }).issues[0]!.message;
    expect(m.en).toBe("The child's birth weight must be between 300 and 7000 g (entered 8000)");
    expect(m.zh).toBe('新生儿出生体重应在300至7000克之间（填写的是8000）');
  });

  it('length 20–65 cm (warn outside 40–58); gestational weeks 20–45 (warn under 28, over 42)', () => {
    expect(check({ child: { lengthCm: 19.5 } }).codes).toEqual(['child.lengthCm range.length']);
    expect(check({ child: { lengthCm: 66 } }).codes).toEqual(['child.lengthCm range.length']);
    expect(check({ child: { lengthCm: 38 } }).warns).toEqual(['child.lengthCm plausible.length']);
    expect(check({ child: { lengthCm: 49.5 } }).warns).toEqual([]);
    expect(check({ child: { gestationalWeeks: 19 } }).codes).toEqual(['child.gestationalWeeks range.gestational_weeks']);
    expect(check({ child: { gestationalWeeks: 46 } }).codes).toEqual(['child.gestationalWeeks range.gestational_weeks']);
    expect(check({ child: { gestationalWeeks: 27 } }).warns).toEqual(['child.gestationalWeeks plausible.gestational_weeks']);
    expect(check({ child: { gestationalWeeks: 43 } }).warns).toEqual(['child.gestationalWeeks plausible.gestational_weeks']);
  });

  it('plurality 1–8, birth order within it; warn beyond twins', () => {
    expect(check({ child: { plurality: 2, birthOrder: 2 } }).codes).toEqual([]);
    expect(check({ child: { plurality: 2, birthOrder: 3 } }).codes).toEqual(['child.birthOrder range.birth_order']);
    expect(check({ child: { plurality: 9, birthOrder: 1 } }).codes).toEqual(['child.plurality range.plurality']);
    expect(check({ child: { plurality: 0, birthOrder: 1 } }).codes).toEqual(['child.plurality range.plurality']);
    expect(check({ child: { plurality: 3, birthOrder: 3 } }).warns).toEqual(['child.plurality plausible.plurality']);
  });

  it('a child of a foreign mother and no father may have a Latin name', () => {
    const foreign = { name: 'Mary Jones', docType: 'passport' as const, docNumber: 'P1234567', nationality: 'GBR', ethnicity: undefined };
    const r = check({ mother: foreign, father: null, child: { name: 'Emily Jones' }, services: ['birth_certificate', 'vaccination'], evidences: [{ kind: 'mother_id', capture: 'manual' }] });
    expect(r.codes).toEqual([]);
    expect(check({ child: { name: 'Emily Lin' } }).codes).toEqual(['child.name name.chars']);
  });

  it('validateChild checks the section alone', () => {
    expect(validateChild(sampleRegistrationInput().child, submit).ok).toBe(true);
    const r = validateChild({ ...sampleRegistrationInput().child, weightG: '3kg', lengthCm: 10 }, submit);
    expect(r.issues.map((i) => `${i.path} ${i.code}`)).toEqual(['child.weightG type', 'child.lengthCm range.length']);
    expect(r.issues[0]!.message).toEqual({ zh: '新生儿出生体重应为数字', en: "The child's birth weight must be a number" });
  });
});

describe('services and what they need', () => {
  it('services are non-empty and unique', () => {
    expect(check({ services: [] }).codes).toEqual(['services required']);
    expect(check({ services: ['birth_certificate', 'birth_certificate'] }).codes).toEqual(['services services.duplicate']);
  });

  it('household registration needs the child name, district and address', () => {
    const r = check({ child: { name: undefined } });
    expect(r.codes).toEqual(['child.name required']);
    expect(r.issues[0]!.message.en).toBe("Fill in the child's name (needed for household registration)");
    expect(check({ declaration: { householdDistrict: undefined, householdAddress: '' } }).codes).toEqual([
      'declaration.householdDistrict required',
      'declaration.householdAddress required',
    ]);
    expect(check({ declaration: { householdDistrict: '330301' as never } }).codes).toEqual(['declaration.householdDistrict invalid_value']);
    // not chosen: an unnamed child is fine
    expect(check({ child: { name: undefined }, services: ['birth_certificate', 'vaccination', 'maternity_insurance'] }).codes).toEqual([]);
  });

  it('household registration needs the sex as male or female', () => {
    expect(check({ child: { sex: '0' } }).codes).toEqual(['child.sex household.child_sex']);
    expect(check({ child: { sex: '9' }, services: ['birth_certificate', 'vaccination'] }).codes).toEqual([]);
  });

  it('household registration needs a parent with a resident ID', () => {
    const foreign = { name: 'Mary Jones', docType: 'passport' as const, docNumber: 'P1234567', nationality: 'GBR', ethnicity: undefined };
    expect(check({ mother: foreign, father: null, child: { name: '玛丽' }, evidences: [{ kind: 'mother_id', capture: 'manual' }] }).codes).toEqual([
      'services bundle.household_needs_citizen_parent',
    ]);
  });

  it('maternity insurance needs an insured mother with an insured district', () => {
    expect(check({ mother: { insurance: { insured: false, insuredDistrict: undefined } } }).codes).toEqual([
      'mother.insurance.insured insurance.not_insured',
    ]);
    expect(check({ mother: { insurance: { insuredDistrict: undefined } } }).codes).toEqual(['mother.insurance.insuredDistrict required']);
    expect(check({ mother: { insurance: { bankAccount: '6222 0212 3456 7890 123' } } }).codes).toEqual([]);
    expect(check({ mother: { insurance: { bankAccount: 'ABC' } } }).codes).toEqual(['mother.insurance.bankAccount bank.format']);
  });

  it('the citizen card needs household registration; dependants need the birth certificate', () => {
    expect(check({ services: ['birth_certificate', 'citizen_card'] }).codes).toEqual(['services bundle.citizen_card_needs_household']);
    expect(check({ services: ['maternity_insurance'] }).codes).toEqual(['services bundle.needs_birth_certificate']);
    expect(check({ declaration: { cardDelivery: { method: 'post', pickupPoint: undefined } } }).codes).toEqual([
      'declaration.cardDelivery.address required',
    ]);
  });

  it('vaccinations are not before the birth and not repeated', () => {
    const [hepb, bcg] = sampleRegistrationInput().vaccinations;
    expect(check({ vaccinations: [{ ...hepb!, givenAt: '2026-03-14T08:20' }, bcg!] }).codes).toEqual(['vaccinations.0.givenAt vaccination.before_birth']);
    expect(check({ vaccinations: [hepb!, hepb!] }).codes).toEqual(['vaccinations.1.vaccine vaccination.duplicate']);
  });

  it('guardian phone is required; no father_id evidence without a father', () => {
    expect(check({ declaration: { guardianPhone: '' } }).codes).toEqual(['declaration.guardianPhone required']);
    expect(check({ father: null }).codes).toEqual(['evidences.1.kind evidence.father_absent']);
  });
});

describe('draft mode', () => {
  it('reports only what is wrong with what is present', () => {
    expect(validateRegistration({}, draft)).toEqual({ ok: false, issues: [], warnings: [] });
    const r = validateRegistration({ mother: { name: '陈晓燕', docType: 'resident_id', docNumber: '110105194912310021' }, child: { weightG: 9000, name: '' } }, draft);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => `${i.path} ${i.code}`)).toEqual(['mother.docNumber id.checksum', 'child.weightG range.weight']);
  });

  it('a complete draft is ok like a submit', () => {
    expect(validateRegistration(sampleRegistrationInput(), draft).ok).toBe(true);
  });
});

describe('structure: zod issues come out as bilingual FieldIssues', () => {
  it('maps wrong types, missing fields and wrong options', () => {
    const input = sampleRegistrationInput() as unknown as Record<string, Record<string, unknown>>;
    const broken = { ...input, id: 'not-a-uuid', child: { ...input.child, sex: 'F', plurality: 1.5 }, mother: { ...input.mother, docType: undefined } };
    const r = validateRegistration(broken, submit);
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues;
    expect(issues.map((i) => `${i.path} ${i.code}`)).toEqual(
      expect.arrayContaining(['id format', 'child.sex invalid_value', 'child.plurality type', 'mother.docType required']),
    );
    const sex = issues.find((i) => i.path === 'child.sex')!;
    expect(sex.message).toEqual({ zh: '新生儿性别不在可选范围内（可选：0, 1, 2, 9）', en: "The child's sex must be one of: 0, 1, 2, 9" });
    expect(validateRegistration(null, submit)).toMatchObject({ ok: false, issues: [{ path: '', code: 'type' }] });
    expect(validateRegistration('x', draft)).toMatchObject({ ok: false, issues: [{ path: '', code: 'type' }] });
  });
});

const FIELD_PATHS = (() => {
  const out: string[] = [];
  const walk = (v: unknown, p: string) => {
    if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, p ? `${p}.${k}` : k);
    else out.push(p);
  };
  walk(sampleRegistrationInput(), '');
  return out;
})();

function setPath(obj: unknown, path: string, value: unknown): unknown {
  const root = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split('.');
  let cur: Record<string, unknown> = root;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string, unknown>;
  cur[keys[keys.length - 1]!] = value;
  return root;
}

const wellFormed = (issues: FieldIssue[]) => {
  for (const i of issues) {
    expect(FieldIssueSchema.safeParse(i).success).toBe(true);
    expect(i.message.zh.length).toBeGreaterThan(0);
    expect(i.message.en.length).toBeGreaterThan(0);
  }
};

describe('bad input never throws', () => {
  it('fc.anything() gives a list of field issues in both modes', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }), fc.boolean(), (x, isDraft) => {
        const r = validateRegistration(x, isDraft ? draft : submit);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          wellFormed(r.issues);
          if (!isDraft) expect(r.issues.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  it('one field of the sample replaced by anything: an issue at that field, or a valid registration', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIELD_PATHS), fc.anything(), fc.boolean(), (path, value, isDraft) => {
        const r = validateRegistration(setPath(sampleRegistrationInput(), path, value), isDraft ? draft : submit);
        wellFormed(r.ok ? r.warnings : r.issues);
        if (!r.ok && r.issues.length > 0) {
          const near = r.issues.some((i) => i.path === path || i.path.startsWith(`${path}.`) || path.startsWith(`${i.path}.`));
          expect(near, `${path} → ${JSON.stringify(r.issues.map((i) => i.path))}`).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });

  it('section helpers never throw either', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        wellFormed(validateParent(x, 'mother', submit).issues);
        wellFormed(validateParent(x, 'father', draft).issues);
        wellFormed(validateChild(x, submit).issues);
        expect(validateRegistration(x, { now: new Date(Number.NaN), mode: 'x' as never }).ok).toBe(false);
      }),
    );
  });
});
