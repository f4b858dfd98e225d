/**
 * The 256-byte text block (UCS-2LE, each field padded with spaces) for the four card types, told apart by the
 * marker at byte 248: space = resident ID card, `J` = HK/Macau/Taiwan residence permit, `I` = foreigner's
 * permanent residence card (2017), `Y` = the 2023 foreigner's card. Offsets from GA 490-2013 (see
 * shared/reference/hardware.md §3). Errors name the field, never its content.
 */
import type { CardType } from '../../domain/types';
import { IdCardError } from './errors';
import { hasValidMod112 as isValidMod112 } from '../../domain/idnumber';

/** 2017 foreigner's permanent residence number: nationality alpha-3 + 12 digits. */
const FOREIGN_2017_ID = /^[A-Z]{3}\d{12}$/;
import { TEXT_LEN } from './frame';

export type { CardType };

/** What the chip's text block says, field by field, in the card's own terms (dates `YYYYMMDD`). */
export interface CardText {
  cardType: CardType;
  /** Chinese name (2017 foreigner's card: may be empty). */
  name: string;
  /** Foreigners' cards only. */
  englishName?: string;
  /** GB/T 2261.1 code as on the card. */
  sex: string;
  /** GB/T 3304 code (resident ID card only). */
  ethnicity?: string;
  birthDate: string;
  /** Resident ID card and HK/Macau/Taiwan permit. */
  address?: string;
  idNumber: string;
  /** Issuing authority (resident ID card and permit). */
  authority?: string;
  validFrom: string;
  /** `YYYYMMDD`, or `长期` for a card that does not expire. */
  validTo: string;
  /** Foreigners' cards: ISO 3166-1 alpha-3. */
  nationality?: string;
  /** HK/Macau/Taiwan permit: the Mainland travel permit number and how many times the permit was issued. */
  passNumber?: string;
  issueCount?: string;
  /** 2023 foreigner's card: renewal count. */
  renewalCount?: string;
  /** 2017 foreigner's card: card version and issuing authority code. */
  version?: string;
  authorityCode?: string;
}

export const PERMANENT = '长期';

type Field = Exclude<keyof CardText, 'cardType'> | 'englishName2';
type Slot = readonly [field: Field, offset: number, bytes: number];

const COMMON_CN: Slot[] = [
  ['name', 0, 30],
  ['sex', 30, 2],
  ['birthDate', 36, 16],
  ['address', 52, 70],
  ['idNumber', 122, 36],
  ['authority', 158, 30],
  ['validFrom', 188, 16],
  ['validTo', 204, 16],
];

export const LAYOUTS: Record<CardType, readonly Slot[]> = {
  resident: [...COMMON_CN, ['ethnicity', 32, 4]],
  hmt: [...COMMON_CN, ['passNumber', 220, 18], ['issueCount', 238, 4]],
  foreign_2017: [
    ['englishName', 0, 120],
    ['sex', 120, 2],
    ['idNumber', 122, 30],
    ['nationality', 152, 6],
    ['name', 158, 30],
    ['validFrom', 188, 16],
    ['validTo', 204, 16],
    ['birthDate', 220, 16],
    ['version', 236, 4],
    ['authorityCode', 240, 8],
  ],
  foreign_2023: [
    ['name', 0, 30],
    ['sex', 30, 2],
    ['renewalCount', 32, 4],
    ['birthDate', 36, 16],
    ['englishName', 52, 70],
    ['idNumber', 122, 36],
    ['validFrom', 188, 16],
    ['validTo', 204, 16],
    // UNCONFIRMED: the reference gives 22 bytes for the continuation of a long English name.
    ['englishName2', 220, 22],
    ['nationality', 242, 6],
  ],
};

export const MARKER_OFFSET = 248;
const MARKERS: Record<CardType, string> = { resident: ' ', hmt: 'J', foreign_2017: 'I', foreign_2023: 'Y' };

const utf16 = new TextDecoder('utf-16le');

function readRaw(block: Uint8Array, offset: number, bytes: number): string {
  return utf16.decode(block.subarray(offset, offset + bytes));
}

/** Trim the padding: spaces (ASCII and ideographic) and the NULs some readers pad with. */
function clean(s: string): string {
  let a = 0;
  let b = s.length;
  const pad = (c: string) => c === '\u0000' || /\s/.test(c);
  while (a < b && pad(s[a]!)) a++;
  while (b > a && pad(s[b - 1]!)) b--;
  return s.slice(a, b);
}

export function cardTypeOf(block: Uint8Array): CardType {
  if (block.length !== TEXT_LEN) throw new IdCardError('bad_length', `text block is ${block.length} bytes, expected ${TEXT_LEN}`);
  const marker = readRaw(block, MARKER_OFFSET, 2);
  if (marker === ' ' || marker === '\u0000') return 'resident';
  if (marker === 'J') return 'hmt';
  if (marker === 'I') return 'foreign_2017';
  if (marker === 'Y') return 'foreign_2023';
  throw new IdCardError('bad_text', 'card type marker at byte 248 is not space, J, I or Y', { field: 'cardType' });
}

const DATE = /^\d{8}$/;

export function isCalendarDate(yyyymmdd: string): boolean {
  if (!DATE.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1850 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function bad(field: string, expected: string): IdCardError {
  return new IdCardError('bad_text', `text field ${field}: expected ${expected}`, { field });
}

/** Decode and check a text block. Throws `IdCardError` (bad_length / bad_text, with the field) on anything odd. */
export function decodeText(block: Uint8Array): CardText {
  const cardType = cardTypeOf(block);
  const raw: Partial<Record<Field, string>> = {};
  for (const [field, offset, bytes] of LAYOUTS[cardType]) raw[field] = readRaw(block, offset, bytes);
  const c = (f: Field) => clean(raw[f] ?? '');
  const card: CardText = {
    cardType,
    name: c('name'),
    sex: c('sex'),
    birthDate: c('birthDate'),
    idNumber: c('idNumber'),
    validFrom: c('validFrom'),
    validTo: c('validTo'),
  };
  const opt = (f: Exclude<Field, 'englishName2'>) => {
    if (raw[f] !== undefined) (card as unknown as Record<string, string>)[f] = c(f);
  };
  for (const f of ['ethnicity', 'address', 'authority', 'nationality', 'passNumber', 'issueCount', 'renewalCount', 'version', 'authorityCode'] as const) opt(f);
  if (cardType === 'foreign_2023') card.englishName = clean((raw.englishName ?? '') + (raw.englishName2 ?? ''));
  else if (cardType === 'foreign_2017') card.englishName = c('englishName');
  checkCard(card);
  return card;
}

function checkCard(card: CardText): void {
  const foreign = card.cardType === 'foreign_2017' || card.cardType === 'foreign_2023';
  if (!foreign && card.name === '') throw bad('name', 'a name');
  if (foreign && card.name === '' && !card.englishName) throw bad('name', 'a Chinese or English name');
  if (!/^[0129]$/.test(card.sex)) throw bad('sex', 'a GB/T 2261.1 code 0, 1, 2 or 9');
  if (!isCalendarDate(card.birthDate)) throw bad('birthDate', 'a real date YYYYMMDD');
  if (!isCalendarDate(card.validFrom)) throw bad('validFrom', 'a real date YYYYMMDD');
  if (card.validTo !== PERMANENT && !isCalendarDate(card.validTo)) throw bad('validTo', `a real date YYYYMMDD or ${PERMANENT}`);
  switch (card.cardType) {
    case 'resident':
      if (!/^(0[1-9]|[1-4]\d|5[0-6]|9[78])$/.test(card.ethnicity ?? '')) throw bad('ethnicity', 'a GB/T 3304 code');
      if (!isValidMod112(card.idNumber)) throw bad('idNumber', 'an 18-character number with a valid MOD 11-2 check');
      break;
    case 'hmt':
      if (!/^8[123]0000/.test(card.idNumber) || !isValidMod112(card.idNumber)) {
        throw bad('idNumber', 'an 18-character 810000/820000/830000 number with a valid MOD 11-2 check');
      }
      break;
    case 'foreign_2017':
      if (!FOREIGN_2017_ID.test(card.idNumber)) throw bad('idNumber', 'three letters and 12 digits');
      if (!/^[A-Z]{3}$/.test(card.nationality ?? '')) throw bad('nationality', 'an ISO 3166-1 alpha-3 code');
      break;
    case 'foreign_2023':
      if (!card.idNumber.startsWith('9') || !isValidMod112(card.idNumber)) throw bad('idNumber', 'an 18-character number starting with 9 with a valid MOD 11-2 check');
      if (!/^[A-Z]{3}$/.test(card.nationality ?? '')) throw bad('nationality', 'an ISO 3166-1 alpha-3 code');
      break;
  }
}

/** Build a text block (simulator, tests). Throws RangeError when a field does not fit its slot. */
export function encodeText(card: CardText): Uint8Array {
  const block = new Uint8Array(TEXT_LEN);
  for (let i = 0; i < TEXT_LEN; i += 2) block[i] = 0x20;
  const values: Partial<Record<Field, string>> = { ...card } as Partial<Record<Field, string>>;
  if (card.cardType === 'foreign_2023') {
    const en = card.englishName ?? '';
    values.englishName = en.slice(0, 35);
    values.englishName2 = en.slice(35);
  }
  for (const [field, offset, bytes] of LAYOUTS[card.cardType]) {
    const v = values[field] ?? '';
    if (v.length * 2 > bytes) throw new RangeError(`${field} has ${v.length} characters, the slot holds ${bytes / 2}`);
    for (let i = 0; i < v.length; i++) {
      const u = v.charCodeAt(i);
      block[offset + i * 2] = u & 0xff;
      block[offset + i * 2 + 1] = u >> 8;
    }
  }
  block[MARKER_OFFSET] = MARKERS[card.cardType].charCodeAt(0);
  block[MARKER_OFFSET + 1] = 0;
  return block;
}
