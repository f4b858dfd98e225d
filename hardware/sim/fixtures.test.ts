/**
 * Every training sample card is valid by the domain's own rules for its holder's sex. Found in a clerk walk: 安娜's
 * 2023 card number encoded a man (odd sequence) and 史密斯's 2017 number had a wrong ICAO check digit.
 */
import { describe, expect, it } from 'vitest';
import { parseIdDocument } from '../../domain/idnumber';
import { validateParent } from '../../domain/validate';
import { cardToParent } from '../idcard/parent';
import { FIXTURES } from './fixtures';

const now = new Date('2026-03-15T02:00:00Z');
const meta = { readerId: 'sim', readAt: now, photoPresent: true };

describe('training sample cards', () => {
  for (const [key, card] of Object.entries(FIXTURES)) {
    it(`${key}: the document number is valid and encodes the holder's sex and birth date`, () => {
      const parent = cardToParent(card, meta);
      const doc = parseIdDocument(parent.docType, parent.docNumber, { now, nationality: parent.nationality });
      expect(doc).toMatchObject({ ok: true, value: { sex: parent.sex, birthDate: parent.birthDate } });
      const role = parent.sex === '2' ? 'mother' : 'father';
      const r = validateParent(parent, role, { now, mode: 'draft' });
      const onNumber = r.issues.filter((i) => /\.(docNumber|sex|birthDate|nationality)$/.test(i.path));
      expect(onNumber).toEqual([]);
    });
  }
});
