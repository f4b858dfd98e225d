/**
 * Which parent's section a card fills (devices area). Found by the serial-reader e2e test: the mother's card
 * lifted and tapped again went into the (empty) father's section instead of refreshing the mother's. Found in a
 * clerk walk: with the mother filled, a second woman's card (雷美兰) went into the father's section.
 */
import { describe, expect, it } from 'vitest';
import type { Parent } from '../../domain/types';
import { emptyForm, parentFromCard } from './model';
import { parentForCard } from './parentForCard';

const card = (docNumber: string, sex: '1' | '2'): Parent => ({ name: 'X', sex, docType: 'resident_id', docNumber, nationality: 'CHN', birthDate: '1993-04-15' });
const MOTHER = card('330302199304150021', '2');
const FATHER = card('33030419900822001X', '1');
const OTHER_WOMAN = card('330329199511030049', '2');
const OTHER_MAN = card('330382197809100030', '1');
const chip = { cardType: 'resident' as const, readAt: '2026-03-15T02:00:00Z', readerId: 'r', verifiedFields: ['name'], photoPresent: true };

const withMother = () => {
  const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
  v.mother = { ...v.mother, ...parentFromCard({ ...MOTHER, chip }) };
  return v;
};

describe('parentForCard', () => {
  it('the mother’s card tapped again refreshes the mother, not the empty father section', () => {
    const v = withMother();
    expect(parentForCard(v, parentFromCard(MOTHER), null)).toEqual({ fill: 'mother' });
    expect(parentForCard({ ...v, hasFather: true }, parentFromCard(MOTHER), 'father')).toEqual({ fill: 'mother' });
  });

  it('a first card fills the mother; another card then fills the father', () => {
    const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
    expect(parentForCard(v, parentFromCard(MOTHER), null)).toEqual({ fill: 'mother' });
    v.mother = { ...v.mother, ...parentFromCard(MOTHER) };
    expect(parentForCard(v, parentFromCard(FATHER), null)).toEqual({ fill: 'father' });
  });

  it('a woman’s card never fills the father’s section: with the mother taken it is refused, naming the mother’s section', () => {
    const v = withMother();
    expect(parentForCard(v, parentFromCard(OTHER_WOMAN), null)).toEqual({ occupied: 'mother' });
    expect(parentForCard({ ...v, hasFather: true }, parentFromCard(OTHER_WOMAN), 'father')).toEqual({ occupied: 'mother' });
    expect(parentForCard(v, parentFromCard(OTHER_WOMAN), 'mother')).toEqual({ occupied: 'mother' });
  });

  it('a man’s card never fills the mother’s section, even when it is empty or focused', () => {
    const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
    expect(parentForCard(v, parentFromCard(FATHER), null)).toEqual({ fill: 'father' });
    expect(parentForCard(v, parentFromCard(FATHER), 'mother')).toEqual({ fill: 'father' });
  });

  it('a man’s card with the father’s section holding another document is refused; with its number cleared it fills', () => {
    const v = { ...withMother(), hasFather: true };
    v.father = { ...v.father, ...parentFromCard({ ...FATHER, chip }) };
    expect(parentForCard(v, parentFromCard(OTHER_MAN), null)).toEqual({ occupied: 'father' });
    expect(parentForCard(v, parentFromCard(FATHER), null)).toEqual({ fill: 'father' });
    v.father = { ...v.father, docNumber: '' };
    expect(parentForCard(v, parentFromCard(OTHER_MAN), 'father')).toEqual({ fill: 'father' });
  });

  it('a typed mother without a number takes the woman’s card', () => {
    const v = emptyForm('0190f0a0-0000-7000-8000-000000000000');
    v.mother = { ...v.mother, name: '林晓燕' };
    expect(parentForCard(v, parentFromCard(OTHER_WOMAN), null)).toEqual({ fill: 'mother' });
  });
});
