import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  districtFromAddress,
  districtFromIdNumber,
  evidencesFromCaptures,
  inpatientNumberFromScans,
  suggestDeclaredDistrict,
  suggestGuardian,
} from './defaults';
import { SAMPLE_NOW, sampleRegistrationInput } from './fixtures';
import { withCheckChar } from './idnumber';
import { validateRegistration } from './validate';

const chip = { cardType: 'resident', readAt: '2026-03-14T10:30:00+08:00', readerId: 'r1', verifiedFields: ['name'], photoPresent: true };

describe('districtFromAddress', () => {
  it('reads card addresses of all shapes', () => {
    const shapes: Record<string, string> = {
      '浙江省温州市鹿城区五马街道解放街128号': '330302',
      '浙江省瑞安市安阳街道万松路66号': '330381',
      '浙江省乐清市柳市镇': '330382',
      '浙江省温州市瓯海区娄桥街道': '330304',
      '浙江省永嘉县上塘镇': '330324',
      ' 浙江省 温州市 龙湾区 永中街道': '330303',
      '龙港市世纪大道': '330383',
    };
    for (const [address, code] of Object.entries(shapes)) expect(districtFromAddress(address), address).toBe(code);
  });

  it("maps names of older cards to today's districts", () => {
    const older: Record<string, string> = {
      '浙江省苍南县龙港镇人民路1号': '330383',
      '浙江省苍南县灵溪镇': '330327',
      '浙江省洞头县北岙镇': '330305',
    };
    for (const [address, code] of Object.entries(older)) expect(districtFromAddress(address), address).toBe(code);
  });

  it('is null outside Wenzhou or on nonsense', () => {
    expect(districtFromAddress('浙江省杭州市西湖区')).toBeNull();
    expect(districtFromAddress('上海市黄浦区')).toBeNull();
    expect(districtFromAddress(42)).toBeNull();
    expect(districtFromAddress('')).toBeNull();
  });
});

describe('districtFromIdNumber', () => {
  it('reads the first six digits when they are a Wenzhou district', () => {
    expect(districtFromIdNumber(withCheckChar('33038119921103135'))).toBe('330381');
    expect(districtFromIdNumber('330302800101001')).toBe('330302'); // 15-digit
    expect(districtFromIdNumber(withCheckChar('33032219800101001'))).toBe('330305'); // 洞头县's old code
    expect(districtFromIdNumber('11010519491231002X')).toBeNull();
    expect(districtFromIdNumber('P1234567')).toBeNull();
  });
});

describe('suggestDeclaredDistrict', () => {
  const reg = sampleRegistrationInput();

  it("prefers the mother's card address, offers the father's as an alternative", () => {
    expect(suggestDeclaredDistrict(reg.mother, reg.father)).toEqual({
      district: '330302',
      source: 'mother.address',
      alternatives: [{ district: '330381', source: 'father.address' }],
    });
  });

  it('falls back to the ID number when no address was read', () => {
    const mother = { ...reg.mother, address: undefined, docNumber: withCheckChar('33032419940512128') };
    expect(suggestDeclaredDistrict(mother, null)).toEqual({ district: '330324', source: 'mother.docNumber', alternatives: [] });
  });

  it("uses the father's when the mother is not from Wenzhou", () => {
    const mother = { ...reg.mother, address: '浙江省杭州市西湖区', docNumber: '11010519491231002X' };
    expect(suggestDeclaredDistrict(mother, reg.father)?.district).toBe('330381');
  });

  it('null for a foreign mother and no father; never throws', () => {
    expect(suggestDeclaredDistrict({ docType: 'passport', docNumber: '330302123', nationality: 'USA' }, null)).toBeNull();
    fc.assert(fc.property(fc.anything(), fc.anything(), (a, b) => void suggestDeclaredDistrict(a, b)));
  });
});

describe('evidencesFromCaptures', () => {
  it('turns a card read, a typed father, a wristband and ticked documents into the evidences list', () => {
    const reg = sampleRegistrationInput();
    const ev = evidencesFromCaptures({
      mother: { ...reg.mother, chip },
      father: reg.father,
      scans: [{ kind: 'vaccine_batch', value: 'B202501023' }, { kind: 'wristband', value: 'ZY2026031401' }],
      seen: ['household_booklet', 'marriage_certificate'],
    });
    expect(ev).toEqual([
      { kind: 'mother_id', capture: 'id_reader', ref: '3303**********1289' },
      { kind: 'father_id', capture: 'manual', ref: `${reg.father!.docNumber.slice(0, 4)}**********${reg.father!.docNumber.slice(-4)}` },
      { kind: 'marriage_certificate', capture: 'manual' },
      { kind: 'household_booklet', capture: 'manual' },
      { kind: 'mother_wristband', capture: 'scan', ref: 'ZY2026031401' },
    ]);
    // never the full ID number
    for (const e of ev) expect(e.ref ?? '').not.toContain(reg.mother.docNumber);
    // and the registration with them is valid
    expect(validateRegistration(sampleRegistrationInput({ evidences: ev }), { now: SAMPLE_NOW, mode: 'submit' }).ok).toBe(true);
  });

  it('keeps the best capture per kind, and nothing for absent parents', () => {
    const ev = evidencesFromCaptures({ mother: { docNumber: '11010519491231002X', chip }, father: null, seen: ['mother_id'] });
    expect(ev).toEqual([{ kind: 'mother_id', capture: 'id_reader', ref: '1101**********002X' }]);
    expect(evidencesFromCaptures({})).toEqual([]);
  });
});

describe('small defaults', () => {
  it('guardian from the mother, else the father', () => {
    const reg = sampleRegistrationInput();
    expect(suggestGuardian(reg.mother, reg.father)).toEqual({ guardianName: '陈晓燕', guardianPhone: '13957712345' });
    expect(suggestGuardian({ ...reg.mother, phone: undefined }, reg.father)).toEqual({ guardianName: '林建华', guardianPhone: '13806661234' });
    expect(suggestGuardian(null, undefined)).toBeNull();
  });

  it('inpatient number from the last wristband scanned', () => {
    expect(inpatientNumberFromScans([{ kind: 'wristband', value: 'ZY1' }, { kind: 'unknown', value: 'x' }, { kind: 'wristband', value: ' ZY2 ' }])).toBe('ZY2');
    expect(inpatientNumberFromScans([])).toBeNull();
  });
});
