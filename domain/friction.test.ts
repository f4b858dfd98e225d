/** Issue 12, friction at the desk: each rule the clerk tripped over, at the domain. */
import { describe, expect, it } from 'vitest';
import { ETHNICITY_CODES, STATE_LABELS } from './codes';
import { formatDeskTime, isPermanentValidity } from './dates';
import { SAMPLE_NOW, sampleRegistrationInput, type DeepPartial } from './fixtures';
import { isValidPhone, normalizePhone, phoneDigits } from './phone';
import type { RegistrationInput } from './types';
import { validateRegistration } from './validate';

const check = (o: DeepPartial<RegistrationInput>) => {
  const r = validateRegistration(sampleRegistrationInput(o), { now: SAMPLE_NOW, mode: 'submit' });
  return { r, codes: (r.ok ? [] : r.issues).map((i) => `${i.path} ${i.code}`) };
};

describe('friction (issue 12)', () => {
  it('accepts 长期 as a card expiry and stores it as permanent', () => {
    expect(isPermanentValidity('长期')).toBe(true);
    expect(isPermanentValidity(' Permanent ')).toBe(true);
    expect(isPermanentValidity('2035-06-01')).toBe(false);
    const { r, codes } = check({ mother: { validTo: '长期' as never } });
    expect(codes).toEqual([]);
    expect(r.ok && r.value.mother.validTo).toBe('permanent');
  });

  it('lists the ethnicities in code order, 01 汉 first', () => {
    expect(ETHNICITY_CODES[0]).toBe('01');
    expect([...ETHNICITY_CODES]).toEqual([...ETHNICITY_CODES].sort());
  });

  it('accepts Hong Kong (+852) and Macau (+853) numbers, 8 digits', () => {
    expect(normalizePhone('+852 9123 4567')).toBe('+85291234567');
    expect(normalizePhone('00853-6612-3456')).toBe('+85366123456');
    expect(isValidPhone(normalizePhone('+852 9123 4567'))).toBe(true);
    expect(isValidPhone(normalizePhone('+853 6612 3456'))).toBe(true);
    expect(isValidPhone(normalizePhone('+852 9123 456'))).toBe(false);
    expect(isValidPhone(normalizePhone('+854 9123 4567'))).toBe(false);
    expect(phoneDigits('+85291234567')).toBe('85291234567');
    expect(check({ mother: { phone: '+852 9123 4567' }, declaration: { guardianPhone: '+853 6612 3456' } }).codes).toEqual([]);
  });

  it('names the field in a phone error', () => {
    const r = validateRegistration(sampleRegistrationInput({ mother: { phone: '12345' }, declaration: { guardianPhone: '12345' } }), { now: SAMPLE_NOW, mode: 'submit' });
    const msgs = (r.ok ? [] : r.issues).filter((i) => i.code === 'phone.format').map((i) => i.message.zh);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatch(/^母亲联系电话/);
    expect(msgs[1]).toMatch(/^监护人联系电话/);
  });

  it("refuses a registration without the mother's identity evidence, at that field", () => {
    const { codes } = check({ evidences: [{ kind: 'marriage_certificate', capture: 'manual' }] });
    expect(codes).toEqual(['evidences.mother_id evidence.mother_id_missing']);
    // a draft may lack it
    const d = validateRegistration(sampleRegistrationInput({ evidences: [] }), { now: SAMPLE_NOW, mode: 'draft' });
    expect(d.ok ? [] : d.issues.map((i) => i.code)).not.toContain('evidence.mother_id_missing');
  });

  it('one wording for each final state: approved 已批准, issued 已签发', () => {
    expect(STATE_LABELS.approved.zh).toBe('已批准');
    expect(STATE_LABELS.issued.zh).toBe('已签发');
  });

  it('formats times as the clerk reads them, YYYY-MM-DD HH:mm at the desk', () => {
    expect(formatDeskTime('2026-03-14T00:25:00.000Z')).toBe('2026-03-14 08:25');
    expect(formatDeskTime('2026-03-14T08:25')).toBe('2026-03-14 08:25');
    expect(formatDeskTime('2026-03-14T08:25:00+08:00')).toBe('2026-03-14 08:25');
    expect(formatDeskTime('—')).toBe('—');
  });
});
