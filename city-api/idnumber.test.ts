import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from './canonical';
import { composeIdNumber, idCheckChar, idNumberProblem, isValidIdNumber } from './idnumber';
import { mulberry32 } from './prng';

const area = fc.constantFrom('330302', '330303', '330381', '110105');
const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const sequence = fc.integer({ min: 1, max: 999 });

describe('GB 11643 ID numbers', () => {
  it('knows the published example 11010519491231002X', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });

  it('composes valid numbers: address, birth date and sequence where they belong', () => {
    fc.assert(
      fc.property(area, date, sequence, (a, d, s) => {
        const id = composeIdNumber(a, d, s);
        expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(id.slice(0, 6)).toBe(a);
        expect(id.slice(6, 14)).toBe(d);
        expect(Number(id.slice(14, 17))).toBe(s);
        expect(idNumberProblem(id)).toBeNull();
      }),
    );
  });

  it('catches every single-character change of the first 17 digits (check digit)', () => {
    fc.assert(
      fc.property(area, date, sequence, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (a, d, s, pos, delta) => {
        const id = composeIdNumber(a, d, s);
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        expect(isValidIdNumber(changed)).toBe(false);
      }),
    );
  });

  it('names the problem', () => {
    expect(idNumberProblem('12345')).toBe('invalid_format');
    expect(idNumberProblem('110105194902300021')).toBe('invalid_birth_date');
    expect(idNumberProblem('110105194912310021')).toBe('invalid_check_digit');
    expect(() => composeIdNumber('330302', '20250230', 1)).toThrow(/real YYYYMMDD/);
    expect(() => composeIdNumber('330302', '20250228', 1000)).toThrow(/1\.\.999/);
  });
});

describe('canonical JSON fingerprint', () => {
  it('does not depend on key order, and does on every value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(fingerprint(reversed)).toBe(fingerprint(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
    expect(fingerprint({ a: 1, b: [1, 2] })).not.toBe(fingerprint({ a: 1, b: [2, 1] }));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: 1 }));
  });
});

describe('seeded PRNG', () => {
  it('reproduces from its seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43).next()).not.toBe(xs[0]);
  });
});
