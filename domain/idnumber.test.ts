import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PROVINCE_CODES,
  detectDocType,
  downgradeId18,
  icaoCheckDigit,
  idBirthDate,
  idSex,
  maskIdNumber,
  mod112CheckChar,
  parseForeignPermanent,
  parseHmtPermit,
  parseIdDocument,
  parsePassport,
  parseResidentId,
  upgradeId15,
  withCheckChar,
  withIcaoCheckDigit,
} from './idnumber';

const now = new Date('2026-03-15T02:00:00Z'); // 10:00 in Wenzhou
const opts = { now };

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A valid date YYYYMMDD between 1900-01-01 and `now` (fast-check date arbitrary, no invalid dates). */
const birthDigits = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-03-14T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`);

const residentProvinces = [...PROVINCE_CODES].filter((p) => p !== '81' && p !== '82');
const validResidentId = fc
  .tuple(fc.constantFrom(...residentProvinces), fc.integer({ min: 0, max: 9999 }), birthDigits, fc.integer({ min: 0, max: 999 }))
  .map(([p, area, birth, seq]) => withCheckChar(`${p}${pad(area, 4)}${birth}${pad(seq, 3)}`)!);

const validPermit = fc
  .tuple(fc.constantFrom('810000', '820000', '830000'), birthDigits, fc.integer({ min: 0, max: 999 }))
  .map(([p, birth, seq]) => withCheckChar(`${p}${birth}${pad(seq, 3)}`)!);

const validForeign2023 = fc
  .tuple(fc.constantFrom('11', '31', '33', '44'), fc.integer({ min: 0, max: 999 }), birthDigits, fc.integer({ min: 0, max: 999 }))
  .map(([p, nat, birth, seq]) => withCheckChar(`9${p}${pad(nat, 3)}${birth}${pad(seq, 3)}`)!);

describe('MOD 11-2 and published examples', () => {
  it('accepts the published examples of GB 11643', () => {
    const a = parseResidentId('11010519491231002X', opts);
    expect(a).toMatchObject({ ok: true, value: { number: '11010519491231002X', birthDate: '1949-12-31', sex: '2' } });
    const b = parseResidentId('440524188001010014', opts);
    expect(b).toMatchObject({ ok: true, value: { birthDate: '1880-01-01', sex: '1', addressCode: '440524' } });
  });

  it('computes the check character', () => {
    expect(mod112CheckChar('11010519491231002')).toBe('X');
    expect(mod112CheckChar('44052418800101001')).toBe('4');
    expect(mod112CheckChar('1234')).toBeNull();
  });

  it('accepts lower-case x and normalises it to X', () => {
    const r = parseResidentId(' 11010519491231002x ', opts);
    expect(r).toMatchObject({ ok: true, value: { number: '11010519491231002X' } });
  });

  it('rejects a wrong check digit with a plain-words message', () => {
    const r = parseResidentId('110105194912310021', opts);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('id.checksum');
      expect(r.message.zh).toBe('身份证号码校验不通过：请逐位核对（可能有一位输错）');
      expect(r.message.en).toBe('The ID number fails its check: compare it character by character (one may be mistyped)');
    }
  });
});

describe('resident ID rules', () => {
  it('rejects an unknown province prefix', () => {
    const r = parseResidentId(withCheckChar('99010519491231002')!.replace(/^9/, '0'), opts);
    expect(r).toMatchObject({ ok: false, code: 'id.province' });
    expect(parseResidentId(withCheckChar('20010519491231002'), opts)).toMatchObject({ ok: false, code: 'id.province' });
  });

  it('sends 81/82/83 numbers to the residence permit type', () => {
    const hk = withCheckChar('81000019900101002')!;
    expect(parseResidentId(hk, opts)).toMatchObject({ ok: false, code: 'id.is_permit' });
    expect(parseHmtPermit(hk, opts)).toMatchObject({ ok: true, value: { docType: 'hmt_permit', sex: '2' } });
  });

  it('rejects a birth date that does not exist (Feb 29 of a common year, month 13)', () => {
    expect(parseResidentId(withCheckChar('33030219930229002'), opts)).toMatchObject({ ok: false, code: 'id.birthdate' });
    expect(parseResidentId(withCheckChar('33030219931301002'), opts)).toMatchObject({ ok: false, code: 'id.birthdate' });
    expect(parseResidentId(withCheckChar('33030219920229002'), opts)).toMatchObject({ ok: true });
  });

  it('rejects a birth date after today (at Wenzhou time)', () => {
    expect(parseResidentId(withCheckChar('33030220260316002'), opts)).toMatchObject({ ok: false, code: 'id.birthdate_future' });
    // 2026-03-15 02:00 UTC is already 10:00 on the 15th in Wenzhou: a baby born that day is not "future".
    expect(parseResidentId(withCheckChar('33030220260315002'), opts)).toMatchObject({ ok: true });
  });

  it('rejects wrong length and characters', () => {
    for (const bad of ['', '12345', '3303021990010100X2', '33030219900101002Y', 'ABCDEFGHIJKLMNOPQR']) {
      expect(parseResidentId(bad, opts).ok).toBe(false);
    }
    expect(parseResidentId(undefined, opts)).toMatchObject({ ok: false, code: 'id.empty' });
    expect(parseResidentId(42, opts)).toMatchObject({ ok: false, code: 'id.empty' });
  });

  it('reads birth date and sex', () => {
    expect(['11010519491231002X', '340524800101001', 'nonsense'].map(idBirthDate)).toEqual(['1949-12-31', '1980-01-01', null]);
    expect(['11010519491231002X', '440524188001010014', '340524800101001'].map(idSex)).toEqual(['2', '1', '1']);
  });
});

describe('15-digit legacy numbers', () => {
  it('upgrades the reference example', () => {
    expect(upgradeId15('340524800101001')).toBe('34052419800101001X');
    const r = parseResidentId('340524800101001', opts);
    expect(r).toMatchObject({ ok: true, value: { number: '34052419800101001X', upgradedFrom15: true, birthDate: '1980-01-01' } });
  });

  it('round-trips 15 → 18 → 15 and 18 → 15 → 18 for births in the 1900s', () => {
    const birth19 = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('1999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => `${pad(d.getUTCFullYear() % 100, 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`);
    fc.assert(
      fc.property(fc.integer({ min: 110000, max: 659999 }), birth19, fc.integer({ min: 0, max: 999 }), (area, yymmdd, seq) => {
        const id15 = `${area}${yymmdd}${pad(seq, 3)}`;
        const id18 = upgradeId15(id15)!;
        expect(id18).toHaveLength(18);
        expect(downgradeId18(id18)).toBe(id15);
        expect(upgradeId15(downgradeId18(id18)!)).toBe(id18);
        expect(idSex(id15)).toBe(idSex(id18));
        expect(idBirthDate(id15)).toBe(idBirthDate(id18));
      }),
    );
  });
});

describe('properties of the 18-digit validators', () => {
  it('every generated valid resident ID passes, with the generated date and parity', () => {
    fc.assert(
      fc.property(validResidentId, (id) => {
        const r = parseResidentId(id, opts);
        expect(r.ok).toBe(true);
        if (r.ok) {
          expect(r.value.birthDate!.replace(/-/g, '')).toBe(id.slice(6, 14));
          expect(r.value.sex).toBe(Number(id[16]) % 2 ? '1' : '2');
        }
        expect(parseResidentId(id.toLowerCase(), opts).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('any single-character change of a valid ID fails (MOD 11-2 catches every substitution)', () => {
    const alphabet = '0123456789X';
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), (id, pos, shift) => {
        const c = alphabet[(alphabet.indexOf(id[pos]!) + shift) % 11]!;
        const changed = id.slice(0, pos) + c + id.slice(pos + 1);
        expect(changed).not.toBe(id);
        expect(parseResidentId(changed, opts).ok).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it('any single-digit change in the date keeping the date real still fails on the check digit', () => {
    // The date digits are where a substitution could still form a valid ID if the check were weak.
    fc.assert(
      fc.property(validResidentId, fc.integer({ min: 6, max: 13 }), fc.integer({ min: 1, max: 9 }), (id, pos, shift) => {
        const changed = id.slice(0, pos) + String((Number(id[pos]) + shift) % 10) + id.slice(pos + 1);
        const r = parseResidentId(changed, opts);
        expect(r.ok).toBe(false);
        if (!r.ok && idBirthDate(changed) !== null && changed.slice(6, 14) >= '18500101' && changed.slice(6, 14) <= '20260315') {
          expect(r.code).toBe('id.checksum');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('permits and 2023 foreigner cards pass, and single changes fail', () => {
    fc.assert(
      fc.property(validPermit, validForeign2023, fc.integer({ min: 0, max: 17 }), (permit, foreign, pos) => {
        expect(parseHmtPermit(permit, opts).ok).toBe(true);
        expect(parseForeignPermanent(foreign, opts)).toMatchObject({ ok: true, value: { kind: 'foreign_2023' } });
        const flip = (s: string) => s.slice(0, pos) + (s[pos] === '1' ? '2' : '1') + s.slice(pos + 1);
        expect(parseHmtPermit(flip(permit), opts).ok).toBe(false);
        expect(parseForeignPermanent(flip(foreign), opts).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('HK/Macau/Taiwan residence permits', () => {
  it('requires one of the three prefixes', () => {
    expect(parseHmtPermit(withCheckChar('33030219900101002'), opts)).toMatchObject({ ok: false, code: 'id.permit_prefix' });
    const tw = withCheckChar('83000019851111123')!;
    expect(parseHmtPermit(tw, opts)).toMatchObject({ ok: true, value: { addressCode: '830000', birthDate: '1985-11-11', sex: '1' } });
  });
});

describe("foreigner's permanent residence card", () => {
  it('computes the ICAO 9303 7-3-1 check digit (ICAO Doc 9303 worked example)', () => {
    // Doc 9303 Part 3 example: document number L898902C3 has check digit 6; birth date 740812 has 2.
    expect(icaoCheckDigit('L898902C3')).toBe('6');
    expect(icaoCheckDigit('740812')).toBe('2');
    expect(icaoCheckDigit('AB<')).toBe(String((10 * 7 + 11 * 3) % 10));
    expect(icaoCheckDigit('a')).toBeNull();
  });

  it('accepts a 2017 card with nationality, birth date and sex', () => {
    const card = withIcaoCheckDigit('USA33019005121')!;
    const r = parseForeignPermanent(card, opts);
    expect(r).toMatchObject({
      ok: true,
      value: { kind: 'foreign_2017', nationality: 'USA', birthDate: '1990-05-12', sex: '1', docType: 'foreign_permanent' },
    });
    // a 2017 card for someone born in 2015: the century is the latest not in the future
    const young = withIcaoCheckDigit('JPN33011503042')!;
    expect(parseForeignPermanent(young, opts)).toMatchObject({ ok: true, value: { birthDate: '2015-03-04', sex: '2' } });
  });

  it('rejects a wrong 2017 check digit or impossible date', () => {
    const card = withIcaoCheckDigit('USA33019005121')!;
    const wrong = card.slice(0, 14) + String((Number(card[14]) + 1) % 10);
    expect(parseForeignPermanent(wrong, opts)).toMatchObject({ ok: false, code: 'id.checksum' });
    expect(parseForeignPermanent(withIcaoCheckDigit('USA33019002301'), opts)).toMatchObject({ ok: false, code: 'id.birthdate' });
    expect(parseForeignPermanent('US330190051210', opts)).toMatchObject({ ok: false, code: 'id.format' });
  });

  it('the 2017 check digit catches every single-digit substitution among the digits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('USA', 'GBR', 'DEU', 'KOR'),
        fc.integer({ min: 0, max: 9999 }),
        birthDigits.map((b) => b.slice(2)),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 3, max: 14 }),
        fc.integer({ min: 1, max: 9 }),
        (nat, region, yymmdd, sexDigit, pos, shift) => {
          const card = withIcaoCheckDigit(`${nat}${pad(region, 4)}${yymmdd}${sexDigit}`)!;
          expect(parseForeignPermanent(card, opts).ok).toBe(true);
          const changed = card.slice(0, pos) + String((Number(card[pos]) + shift) % 10) + card.slice(pos + 1);
          expect(parseForeignPermanent(changed, opts).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects a 2023 card with an unknown province code', () => {
    expect(parseForeignPermanent(withCheckChar('90084019900101001'), opts)).toMatchObject({ ok: false, code: 'id.province' });
  });
});

describe('passports and dispatch', () => {
  it('needs 5–20 letters/digits and a nationality', () => {
    expect(parsePassport('e12345678', 'CHN')).toMatchObject({ ok: true, value: { number: 'E12345678', nationality: 'CHN' } });
    expect(parsePassport('X1234', 'USA').ok).toBe(true);
    expect(parsePassport('X123', 'USA')).toMatchObject({ ok: false, code: 'id.format' });
    expect(parsePassport('AB-12345', 'USA')).toMatchObject({ ok: false, code: 'id.format' });
    expect(parsePassport('AB12345', '')).toMatchObject({ ok: false, code: 'id.nationality' });
    expect(parsePassport('AB12345', 'usa')).toMatchObject({ ok: false, code: 'id.nationality' });
  });

  it('dispatches on the document type', () => {
    expect(parseIdDocument('resident_id', '11010519491231002X', opts).ok).toBe(true);
    expect(parseIdDocument('passport', 'G12345678', { ...opts, nationality: 'FRA' }).ok).toBe(true);
    expect(parseIdDocument('resident_id', withCheckChar('91133019900101001'), opts)).toMatchObject({
      ok: false,
      code: 'id.doc_type_mismatch',
    });
  });

  it('detects the document type from the shape', () => {
    expect(detectDocType('11010519491231002x')).toBe('resident_id');
    expect(detectDocType('340524800101001')).toBe('resident_id');
    expect(detectDocType(withCheckChar('81000019900101002'))).toBe('hmt_permit');
    expect(detectDocType('USA330190051213')).toBe('foreign_permanent');
    expect(detectDocType('E12345678')).toBe('passport');
    expect(detectDocType('??')).toBeNull();
  });

  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom('resident_id', 'hmt_permit', 'foreign_permanent', 'passport' as const), (x, t) => {
        const r = parseIdDocument(t, x, { ...opts, nationality: x });
        expect(typeof r.ok).toBe('boolean');
        maskIdNumber(x);
        detectDocType(x);
        idBirthDate(x);
        idSex(x);
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the first and last 4 of an 18-character number', () => {
    expect(maskIdNumber('330302199001011234')).toBe('3303**********1234');
    expect(maskIdNumber('11010519491231002x')).toBe('1101**********002X');
  });

  it('never shows more than half of a short number', () => {
    expect(['E1234567', 'X1234', 'AB', undefined].map(maskIdNumber)).toEqual(['E1****67', 'X***4', '**', '']);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,40}$/), (s) => {
        const m = maskIdNumber(s);
        expect(m).toHaveLength(s.length);
        expect([...m].filter((c) => c !== '*').length).toBeLessThanOrEqual(Math.ceil(s.length / 2));
      }),
    );
  });
});
