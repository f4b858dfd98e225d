/**
 * A decoded card → the domain's Parent, with chip provenance: every field read from the chip is listed in
 * `chip.verifiedFields` so the UI shows it as verified (and locks it against retyping).
 */
import { ParentSchema, type DocType, type Parent } from '../../domain/types';
import type { SexCode } from '../../domain/codes';
import { IdCardError } from './errors';
import { PERMANENT, type CardText } from './text';

export interface ChipMeta {
  readerId: string;
  readAt: Date;
  photoPresent: boolean;
}

const DOC_TYPE: Record<CardText['cardType'], DocType> = {
  resident: 'resident_id',
  hmt: 'hmt_permit',
  foreign_2017: 'foreign_permanent',
  foreign_2023: 'foreign_permanent',
};

export function isoDate(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * Map the card to a Parent. Foreigners: the Chinese name when the card carries one, otherwise the English name
 * (the English name is on the 2017 card's first field; the clerk may retype it from the passport).
 */
export function cardToParent(card: CardText, meta: ChipMeta): Parent {
  const foreign = card.cardType === 'foreign_2017' || card.cardType === 'foreign_2023';
  const parent: Parent = {
    name: card.name !== '' ? card.name : (card.englishName ?? ''),
    sex: card.sex as SexCode,
    docType: DOC_TYPE[card.cardType],
    docNumber: card.idNumber,
    nationality: foreign ? card.nationality! : 'CHN',
    birthDate: isoDate(card.birthDate),
    validFrom: isoDate(card.validFrom),
    validTo: card.validTo === PERMANENT ? 'permanent' : isoDate(card.validTo),
  };
  if (card.cardType === 'resident' && card.ethnicity) parent.ethnicity = card.ethnicity;
  if (card.address) parent.address = card.address;
  if (card.authority) parent.issuingAuthority = card.authority;
  const verifiedFields = Object.keys(parent).filter((k) => (parent as Record<string, unknown>)[k] !== undefined);
  parent.chip = {
    cardType: card.cardType,
    readAt: meta.readAt.toISOString(),
    readerId: meta.readerId.slice(0, 64),
    verifiedFields,
    photoPresent: meta.photoPresent,
  };
  const checked = ParentSchema.safeParse(parent);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.join('.') || 'parent';
    throw new IdCardError('bad_text', `card does not fit the Parent schema at ${field}: ${issue?.code ?? 'invalid'}`, { field });
  }
  return checked.data;
}

/** A photo is present when the card returned photo bytes that are not all zero or all 0xFF. */
export function hasPhoto(photo: Uint8Array): boolean {
  if (photo.length === 0) return false;
  const first = photo[0];
  if (first !== 0 && first !== 0xff) return true;
  return photo.some((b) => b !== first);
}
