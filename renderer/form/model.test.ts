import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateRegistration } from '../../domain/validate';
import { SAMPLE_FATHER, SAMPLE_MOTHER } from '../components/samples';
import { localIssues } from './checks';
import { districtFromParent, emptyForm, formPathOf, fromInput, normaliseDate, normaliseDateTime, parentFromCard, toInput } from './model';

const ID = '01934b6e-0000-7000-8000-000000000001';

function filled() {
  const v = emptyForm(ID, { pickupPoint: '温州医科大学附属第一医院' });
  v.mother = { ...v.mother, ...parentFromCard(SAMPLE_MOTHER), phone: '13857712345', insurance: { insured: true, insuredDistrict: '330302', bankAccount: '' } };
  v.father = parentFromCard(SAMPLE_FATHER);
  v.child = { ...v.child, name: '陈沐阳', sex: '1', birthDateTime: '2024-03-14 08:25', gestationalWeeks: '39', weightG: '3350', lengthCm: '50', attendant: '王丽' };
  v.declaration = { ...v.declaration, householdDistrict: '330302', householdAddress: SAMPLE_MOTHER.address!, guardianName: SAMPLE_MOTHER.name, guardianPhone: '13857712345' };
  v.evidences.mother_id = { present: true, capture: 'id_reader', ref: '' }; // the card tap ticks it
  return v;
}

describe('form model', () => {
  it('turns a filled form into a registration the domain accepts, and back', () => {
    const input = toInput(filled());
    const r = validateRegistration(input, { mode: 'submit', now: new Date('2024-03-15T00:00:00Z') });
    expect(r.ok ? [] : r.issues).toEqual([]);
    expect(input.child.birthDateTime).toBe('2024-03-14T08:25');
    expect(input.services).toHaveLength(5);
    expect(toInput(fromInput(input))).toEqual(input);
  });

  it('normalises the ways a clerk types a date-time', () => {
    expect(normaliseDateTime('202403140825')).toBe('2024-03-14T08:25');
    expect(normaliseDateTime('2024/3/14 8:25')).toBe('2024-03-14T08:25');
    expect(normaliseDate('19950315')).toBe('1995-03-15');
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 16);
        expect(normaliseDateTime(iso.replace('T', ' '))).toBe(iso);
        expect(normaliseDateTime(iso.replace(/[-T:]/g, ''))).toBe(iso);
      }),
    );
  });

  it('checks locally: wrong check character, impossible date, future birth; never throws on any text', () => {
    const v = filled();
    v.mother.docNumber = SAMPLE_MOTHER.docNumber.slice(0, 17) + (SAMPLE_MOTHER.docNumber[17] === '0' ? '1' : '0');
    v.child.birthDateTime = '2024-02-30 10:00';
    const paths = localIssues(v, new Date('2024-03-15T00:00:00Z')).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['mother.docNumber', 'child.birthDateTime']));
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const w = filled();
        w.mother.docNumber = a;
        w.child.birthDateTime = b;
        expect(() => localIssues(w)).not.toThrow();
      }),
    );
  });

  it('checks phones locally as the domain does: the same numbers pass and fail here and in validateRegistration', () => {
    const at = new Date('2024-03-15T00:00:00Z');
    for (const [phone, ok] of [
      ['+86 138-5771-2345', true],
      ['0577-88001234', true],
      ['0577-08001234', false],
      ['1385771234', false],
    ] as const) {
      const v = filled();
      v.declaration.guardianPhone = phone;
      expect(localIssues(v, at).some((i) => i.path === 'declaration.guardianPhone')).toBe(!ok);
      const r = validateRegistration(toInput(v), { mode: 'submit', now: at });
      expect(!r.ok && r.issues.some((i) => i.path === 'declaration.guardianPhone')).toBe(!ok);
    }
  });

  it('takes the district from the card address, else from the ID number', () => {
    expect(districtFromParent({ address: '浙江省温州市瑞安市安阳街道', docNumber: SAMPLE_MOTHER.docNumber })).toBe('330381');
    expect(districtFromParent({ address: '上海市', docNumber: SAMPLE_MOTHER.docNumber })).toBe('330302');
  });

  it('maps evidence issues back to their kind', () => {
    const v = filled();
    v.evidences.mother_id.present = true;
    v.evidences.mother_wristband.present = true;
    expect(formPathOf('evidences.1.ref', v)).toBe('evidences.mother_wristband');
  });
});

describe('friction (issue 12) in the form model', () => {
  it('takes 长期 as a card expiry and shows a chip-read permanent card as 长期 (permanent in English)', () => {
    const v = filled();
    v.mother.validTo = '长期';
    expect(toInput(v).mother.validTo).toBe('permanent');
    expect(parentFromCard({ ...SAMPLE_MOTHER, validTo: 'permanent' }).validTo).toBe('长期');
    expect(parentFromCard({ ...SAMPLE_MOTHER, validTo: 'permanent' }, 'permanent').validTo).toBe('permanent');
  });

  it('shows stored times without the ISO T when a registration is opened again', () => {
    const back = fromInput(toInput(filled()));
    expect(back.child.birthDateTime).toBe('2024-03-14 08:25');
  });
});
