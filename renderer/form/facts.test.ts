// ID-number area (clerk walk): a typed number fills birth date and sex only when it passes its check.
import { describe, expect, it } from 'vitest';
import { SAMPLE_IDS } from '../../domain/fixtures';
import { idBirthDate } from '../../domain/idnumber';
import { factsFromNumber } from './model';

/** The same number with one digit inside it (the sequence, position 15) changed: its check fails. */
function oneDigitOff(n: string): string {
  const i = 14;
  return n.slice(0, i) + String((Number(n[i]) + 1) % 10) + n.slice(i + 1);
}

describe('facts from a typed ID number', () => {
  it('fills birth date and sex from a number that passes its check', () => {
    const f = factsFromNumber(SAMPLE_IDS.mother);
    expect(f.docType).toBe('resident_id');
    expect(f.birthDate).toBe(idBirthDate(SAMPLE_IDS.mother));
    expect(f.sex).toMatch(/^[12]$/);
  });

  it('fills nothing from a number one digit off (any digit may be the wrong one)', () => {
    const bad = oneDigitOff(SAMPLE_IDS.mother);
    expect(idBirthDate(bad)).not.toBeNull(); // the date digits still read as a date…
    const f = factsFromNumber(bad);
    expect(f).toEqual({ docType: 'resident_id', birthDate: null, sex: null }); // …but nothing is taken from it
  });
});
