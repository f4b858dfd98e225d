import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeIdNumber, idNumberProblem } from './rules';
import { itemFingerprint } from './store';

const area = fc.constantFrom('330302', '330303', '330381', '110105');
const date = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const sequence = fc.integer({ min: 1, max: 999 });

describe('the ID numbers the city checks and issues (GB 11643)', () => {
  it('knows the published example 11010519491231002X', () => {
    expect(idNumberProblem('11010519491231002X')).toBeNull();
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
        expect(idNumberProblem(changed)).not.toBeNull();
      }),
    );
  });

  it('names the problem', () => {
    expect(idNumberProblem('12345')).toBe('invalid_format');
    expect(idNumberProblem('110105194902300021')).toBe('invalid_birth_date');
    expect(idNumberProblem('110105184912310021')).toBe('invalid_birth_date');
    expect(idNumberProblem('110105194912310021')).toBe('invalid_check_digit');
    expect(() => composeIdNumber('330302', '20250230', 1)).toThrow(/real YYYYMMDD/);
    expect(() => composeIdNumber('330302', '20250228', 1000)).toThrow(/1\.\.999/);
  });
});

describe('item fingerprint (canonical JSON, SHA-256)', () => {
  const item = (payload: unknown) => ({ idempotencyKey: 'k', requestId: 'r', registrationId: 'g', service: 'vaccination', jurisdiction: '330302', payload });
  it('does not depend on key order, and does on every value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(itemFingerprint(item(reversed))).toBe(itemFingerprint(item(obj)));
      }),
    );
    expect(itemFingerprint(item({ a: 1, b: [1, 2] }))).not.toBe(itemFingerprint(item({ a: 1, b: [2, 1] })));
    expect(itemFingerprint(item({ a: '1' }))).not.toBe(itemFingerprint(item({ a: 1 })));
    expect(itemFingerprint({ ...item({}), idempotencyKey: 'other' })).toBe(itemFingerprint(item({})));
  });
});
