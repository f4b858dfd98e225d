/**
 * Which parent's section a card fills (devices area). Found by the serial-reader e2e test: the mother's card
 * lifted and tapped again went into the (empty) father's section instead of refreshing the mother's.
 */
import { describe, expect, it } from 'vitest';
import type { Parent } from '../../domain/types';
import { emptyForm, parentFromCard } from './model';
import { parentForCard } from './parentForCard';

const card = (docNumber: string, sex: '1' | '2'): Parent => ({ name: 'X', sex, docType: 'resident_id', docNumber, nationality: 'CHN', birthDate: '1993-04-15' });
const MOTHER = card('330302199304150021', '2');
const FATHER = card('33030419900822001X', '1');

describe('parentForCard', () => {
  it('the mother’s card tapped again refreshes the mother, not the empty father section', () => {
    const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
    v.mother = { ...v.mother, ...parentFromCard({ ...MOTHER, chip: { cardType: 'resident', readAt: '2026-03-15T02:00:00Z', readerId: 'r', verifiedFields: ['name'], photoPresent: true } }) };
    expect(parentForCard(v, parentFromCard(MOTHER), null)).toBe('mother');
    expect(parentForCard({ ...v, hasFather: true }, parentFromCard(MOTHER), 'father')).toBe('mother');
  });

  it('a first card fills the mother; another card then fills the father', () => {
    const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
    expect(parentForCard(v, parentFromCard(MOTHER), null)).toBe('mother');
    v.mother = { ...v.mother, ...parentFromCard(MOTHER) };
    expect(parentForCard(v, parentFromCard(FATHER), null)).toBe('father');
  });
});
