/**
 * Identity-document numbers: pure functions returning typed results, never throwing.
 *
 * - Resident ID (GB 11643-1999): 6-digit address code, birth date YYYYMMDD, 3-digit sequence (odd male,
 *   even female), ISO 7064 MOD 11-2 check character. The 15-digit 1989 form (YYMMDD, no check) is
 *   recognised and upgraded to 18 digits.
 * - HK/Macau/Taiwan residence permit: the same 18-digit layout with address code 810000/820000/830000.
 * - Foreigner's permanent residence card, 2023: 18 digits, `9` + issuing province (2) + nationality
 *   numeric code (3) + birth date YYYYMMDD + sequence (3) + MOD 11-2 check — the resident-ID layout.
 * - Foreigner's permanent residence card, 2017: `[A-Z]{3}\d{12}` = nationality alpha-3 (3), region (4),
 *   birth date YYMMDD (6), sex/sequence digit (1, odd male / even female), check digit (1). The
 *   reference (hardware.md §4) only calls the check "ICAO 9303-style": we implement ICAO 9303's
 *   7-3-1 weighting (A–Z = 10–35, digits their value, `<` = 0, sum mod 10) over the first 14
 *   characters. Treat that exact algorithm as the reference's reading, to be confirmed on real cards.
 * - Passport: 5–20 of `[A-Z0-9]` plus a required nationality (ISO 3166-1 alpha-3; CHN allowed).
 */
import type { DocType } from './codes';
import { hasValidMod112, icaoCheckDigit, mod112CheckChar } from './checkchars';
import { deskLocal, formatYmd, isRealDate, ymdKey, type YMD } from './dates';

export { hasValidMod112, icaoCheckDigit, mod112CheckChar, withCheckChar, withIcaoCheckDigit } from './checkchars';

export interface Localized {
  zh: string;
  en: string;
}

export type IdIssueCode =
  | 'id.empty'
  | 'id.format'
  | 'id.province'
  | 'id.birthdate'
  | 'id.birthdate_future'
  | 'id.checksum'
  | 'id.is_permit'
  | 'id.permit_prefix'
  | 'id.doc_type_mismatch'
  | 'id.nationality';

export type IdKind = 'resident' | 'hmt_permit' | 'foreign_2017' | 'foreign_2023' | 'passport';

export interface ParsedIdDocument {
  docType: DocType;
  kind: IdKind;
  /** Normalised number: trimmed, upper case (`x` → `X`), a 15-digit resident ID upgraded to 18. */
  number: string;
  /** Birth date embedded in the number (`YYYY-MM-DD`), null for passports. */
  birthDate: string | null;
  /** Sex from the sequence parity (GB/T 2261.1 `1` male, `2` female), null for passports. */
  sex: '1' | '2' | null;
  /** 6-digit address code (resident ID, HMT permit), null otherwise. */
  addressCode: string | null;
  /** Nationality the number itself carries (alpha-3 of the 2017 card), null otherwise. */
  nationality: string | null;
  /** True when the input was the legacy 15-digit form. */
  upgradedFrom15: boolean;
}

export type IdResult =
  | { ok: true; value: ParsedIdDocument }
  | { ok: false; code: IdIssueCode; message: Localized };

export interface IdOptions {
  /** Today, for "birth date not in the future" (seen at the desk's UTC offset). */
  now: Date;
  /** Minutes east of UTC at the desk; defaults to China Standard Time (480). */
  utcOffsetMinutes?: number;
}

/**
 * The 34 province-level codes of GB/T 2260 (31 mainland, 71 Taiwan, 81 Hong Kong, 82 Macau).
 * 83 is not a province code: it is the address code of Taiwan residents' residence permits.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42',
  '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82',
]);
/** Address codes of the HK/Macau/Taiwan residence permits. */
export const PERMIT_PREFIXES = ['810000', '820000', '830000'] as const;

/** Trim, drop inner whitespace, upper-case (so `x` becomes `X`). Non-strings become ''. */
export function normalizeDocNumber(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  return raw.replace(/[\s\u3000]+/g, '').toUpperCase();
}

/** 15-digit (1989) resident ID → 18 digits: insert `19` before YYMMDD and append the check character. */
export function upgradeId15(id15: string): string | null {
  const n = normalizeDocNumber(id15);
  if (!/^\d{15}$/.test(n)) return null;
  const first17 = `${n.slice(0, 6)}19${n.slice(6)}`;
  return first17 + mod112CheckChar(first17)!;
}

/** The inverse for numbers of people born 1900–1999 (used to test the upgrade); null otherwise. */
export function downgradeId18(id18: string): string | null {
  const n = normalizeDocNumber(id18);
  if (!/^\d{17}[\dX]$/.test(n) || n.slice(6, 8) !== '19') return null;
  return n.slice(0, 6) + n.slice(8, 17);
}

const fail = (code: IdIssueCode, zh: string, en: string): IdResult => ({ ok: false, code, message: { zh, en } });

const NAMES: Record<IdKind, Localized> = {
  resident: { zh: '身份证号码', en: 'ID number' },
  hmt_permit: { zh: '港澳台居民居住证号码', en: 'residence permit number' },
  foreign_2017: { zh: '外国人永久居留身份证号码', en: 'permanent residence card number' },
  foreign_2023: { zh: '外国人永久居留身份证号码', en: 'permanent residence card number' },
  passport: { zh: '护照号码', en: 'passport number' },
};

/** Checks an embedded birth date: a real day, not after today. */
function checkBirth(y: number, m: number, d: number, kind: IdKind, opts: IdOptions): IdResult | YMD {
  const what = NAMES[kind];
  if (!isRealDate(y, m, d) || y < 1850) {
    return fail(
      'id.birthdate',
      `${what.zh}中的出生日期不存在，请核对第7至14位`,
      `The birth date inside the ${what.en} is not a real date; check the date digits`,
    );
  }
  const today = deskLocal(opts.now, opts.utcOffsetMinutes);
  if (ymdKey({ y, m, d }) > ymdKey(today)) {
    return fail(
      'id.birthdate_future',
      `${what.zh}中的出生日期晚于今天，请核对`,
      `The birth date inside the ${what.en} is after today; check the date digits`,
    );
  }
  return { y, m, d };
}

/** Shared check of the 18-character layout: 17 digits + check, birth date at 7–14, sequence parity at 17. */
function parse18(n: string, kind: IdKind, docType: DocType, opts: IdOptions, upgraded = false): IdResult {
  const what = NAMES[kind];
  if (!/^\d{17}[\dX]$/.test(n)) {
    return fail(
      'id.format',
      `${what.zh}应为18位：前17位是数字，最后一位是数字或X`,
      `The ${what.en} must be 18 characters: 17 digits, then a digit or X`,
    );
  }
  const birth = checkBirth(Number(n.slice(6, 10)), Number(n.slice(10, 12)), Number(n.slice(12, 14)), kind, opts);
  if ('ok' in birth) return birth;
  if (!hasValidMod112(n)) {
    return fail(
      'id.checksum',
      // Any one character may be the mistyped one, not only the last (the check covers them all).
      `${what.zh}校验不通过：请逐位核对（可能有一位输错）`,
      `The ${what.en} fails its check: compare it character by character (one may be mistyped)`,
    );
  }
  return {
    ok: true,
    value: {
      docType,
      kind,
      number: n,
      birthDate: formatYmd(birth),
      sex: Number(n[16]) % 2 === 1 ? '1' : '2',
      addressCode: kind === 'foreign_2023' ? null : n.slice(0, 6),
      nationality: null,
      upgradedFrom15: upgraded,
    },
  };
}

/** Resident ID card number (18 digits, or the 15-digit legacy form, upgraded). */
export function parseResidentId(raw: unknown, opts: IdOptions): IdResult {
  let n = normalizeDocNumber(raw);
  if (n === '') return fail('id.empty', '请填写身份证号码', 'Enter the ID number');
  let upgraded = false;
  if (/^\d{15}$/.test(n)) {
    // Legacy 1989 form: validate its date before upgrading (YYMMDD → 19YYMMDD).
    n = upgradeId15(n)!;
    upgraded = true;
  }
  if (!/^\d{17}[\dX]$/.test(n)) {
    return fail(
      'id.format',
      '身份证号码应为18位（前17位是数字，最后一位是数字或X），或15位旧号码',
      'The ID number must be 18 characters (17 digits, then a digit or X), or a legacy 15-digit number',
    );
  }
  const province = n.slice(0, 2);
  if (['81', '82', '83'].includes(province)) {
    return fail(
      'id.is_permit',
      '以81、82、83开头的是港澳台居民居住证号码，请把证件类型选为“港澳台居民居住证”',
      'A number starting with 81, 82 or 83 is a Hong Kong/Macau/Taiwan residence permit: choose that document type',
    );
  }
  if (n[0] === '9') {
    return fail(
      'id.doc_type_mismatch',
      '以9开头的18位号码是外国人永久居留身份证号码，请把证件类型选为“外国人永久居留身份证”',
      "An 18-digit number starting with 9 is a foreigner's permanent residence card: choose that document type",
    );
  }
  if (!PROVINCE_CODES.has(province)) {
    return fail(
      'id.province',
      `身份证号码前两位（${province}）不是有效的省级行政区划代码`,
      `The ID number's first two digits (${province}) are not a province code`,
    );
  }
  return parse18(n, 'resident', 'resident_id', opts, upgraded);
}

/** Hong Kong / Macau / Taiwan residents' residence permit (810000/820000/830000 + date + sequence + check). */
export function parseHmtPermit(raw: unknown, opts: IdOptions): IdResult {
  const n = normalizeDocNumber(raw);
  if (n === '') return fail('id.empty', '请填写居住证号码', 'Enter the residence permit number');
  if (/^\d{17}[\dX]$/.test(n) && !PERMIT_PREFIXES.some((p) => n.startsWith(p))) {
    return fail(
      'id.permit_prefix',
      '港澳台居民居住证号码应以810000（香港）、820000（澳门）或830000（台湾）开头',
      'A residence permit number starts with 810000 (Hong Kong), 820000 (Macau) or 830000 (Taiwan)',
    );
  }
  return parse18(n, 'hmt_permit', 'hmt_permit', opts);
}

/** Foreigner's permanent residence card: the 2017 `[A-Z]{3}\d{12}` form or the 2023 18-digit form. */
export function parseForeignPermanent(raw: unknown, opts: IdOptions): IdResult {
  const n = normalizeDocNumber(raw);
  if (n === '') return fail('id.empty', '请填写永久居留身份证号码', 'Enter the permanent residence card number');
  if (/^[A-Z]{3}\d{12}$/.test(n)) {
    const yy = Number(n.slice(7, 9));
    const today = deskLocal(opts.now, opts.utcOffsetMinutes);
    // YYMMDD: the latest century that does not put the birth after today.
    const y2000 = 2000 + yy;
    const m = Number(n.slice(9, 11));
    const d = Number(n.slice(11, 13));
    const y = ymdKey({ y: y2000, m, d }) <= ymdKey(today) ? y2000 : 1900 + yy;
    const birth = checkBirth(y, m, d, 'foreign_2017', opts);
    if ('ok' in birth) {
      return fail(
        'id.birthdate',
        '永久居留身份证号码中的出生日期（第8至13位）不存在，请核对',
        'The birth date inside the permanent residence card number (characters 8–13) is not a real date',
      );
    }
    if (icaoCheckDigit(n.slice(0, 14)) !== n[14]) {
      return fail(
        'id.checksum',
        '永久居留身份证号码校验不通过：请逐位核对（可能有一位输错）',
        'The permanent residence card number fails its check: compare it character by character (one may be mistyped)',
      );
    }
    return {
      ok: true,
      value: {
        docType: 'foreign_permanent',
        kind: 'foreign_2017',
        number: n,
        birthDate: formatYmd(birth),
        sex: Number(n[13]) % 2 === 1 ? '1' : '2',
        addressCode: null,
        nationality: n.slice(0, 3),
        upgradedFrom15: false,
      },
    };
  }
  if (/^9\d{16}[\dX]$/.test(n)) {
    if (!PROVINCE_CODES.has(n.slice(1, 3))) {
      return fail(
        'id.province',
        `永久居留身份证号码第2、3位（${n.slice(1, 3)}）不是有效的受理地省级代码`,
        `Characters 2–3 of the permanent residence card number (${n.slice(1, 3)}) are not a province code`,
      );
    }
    return parse18(n, 'foreign_2023', 'foreign_permanent', opts);
  }
  return fail(
    'id.format',
    '外国人永久居留身份证号码应为：3个大写字母加12位数字（2017版），或以9开头的18位号码（2023版）',
    "A foreigner's permanent residence card number is 3 capital letters and 12 digits (2017 card) or 18 characters starting with 9 (2023 card)",
  );
}

/** Passport: 5–20 capital letters or digits; the nationality (alpha-3) is required alongside. */
export function parsePassport(raw: unknown, nationality: unknown): IdResult {
  const n = normalizeDocNumber(raw);
  if (n === '') return fail('id.empty', '请填写护照号码', 'Enter the passport number');
  if (!/^[A-Z0-9]{5,20}$/.test(n)) {
    return fail(
      'id.format',
      '护照号码应为5至20位大写字母或数字',
      'A passport number is 5 to 20 capital letters or digits',
    );
  }
  if (typeof nationality !== 'string' || !/^[A-Z]{3}$/.test(nationality)) {
    return fail(
      'id.nationality',
      '持护照者须填写国籍（三位字母国家代码，如 USA、JPN、CHN）',
      'A passport holder needs a nationality (three-letter country code such as USA, JPN, CHN)',
    );
  }
  return {
    ok: true,
    value: {
      docType: 'passport',
      kind: 'passport',
      number: n,
      birthDate: null,
      sex: null,
      addressCode: null,
      nationality,
      upgradedFrom15: false,
    },
  };
}

/** Validates a number against the chosen document type. */
export function parseIdDocument(
  docType: DocType,
  raw: unknown,
  opts: IdOptions & { nationality?: unknown },
): IdResult {
  switch (docType) {
    case 'resident_id':
      return parseResidentId(raw, opts);
    case 'hmt_permit':
      return parseHmtPermit(raw, opts);
    case 'foreign_permanent':
      return parseForeignPermanent(raw, opts);
    case 'passport':
      return parsePassport(raw, opts.nationality);
    default:
      return fail('id.doc_type_mismatch', '请先选择证件类型', 'Choose the document type first');
  }
}

/** Guesses the document type from a number's shape (for the UI), or null. Does not validate. */
export function detectDocType(raw: unknown): DocType | null {
  const n = normalizeDocNumber(raw);
  if (/^[A-Z]{3}\d{12}$/.test(n) || /^9\d{16}[\dX]$/.test(n)) return 'foreign_permanent';
  if (/^8[123]0000\d{11}[\dX]$/.test(n)) return 'hmt_permit';
  if (/^\d{17}[\dX]$/.test(n) || /^\d{15}$/.test(n)) return 'resident_id';
  if (/^[A-Z0-9]{5,20}$/.test(n)) return 'passport';
  return null;
}

/** `YYYY-MM-DD` birth date embedded in an 18- or 15-digit number (not validated), or null. */
export function idBirthDate(raw: unknown): string | null {
  let n = normalizeDocNumber(raw);
  if (/^\d{15}$/.test(n)) n = upgradeId15(n)!;
  if (!/^\d{17}[\dX]$/.test(n)) return null;
  const [y, m, d] = [Number(n.slice(6, 10)), Number(n.slice(10, 12)), Number(n.slice(12, 14))];
  return isRealDate(y, m, d) ? formatYmd({ y, m, d }) : null;
}

/** GB/T 2261.1 sex from the sequence parity of an 18- or 15-digit number, or null. */
export function idSex(raw: unknown): '1' | '2' | null {
  const n = normalizeDocNumber(raw);
  const ch = /^\d{17}[\dX]$/.test(n) ? n[16] : /^\d{15}$/.test(n) ? n[14] : undefined;
  if (ch === undefined) return null;
  return Number(ch) % 2 === 1 ? '1' : '2';
}

/**
 * Masks a document number for receipts and logs: keeps the first 4 and last 4 characters of long numbers
 * (`3303**********1234`), a quarter at each end of shorter ones: never more than half of the number.
 */
export function maskIdNumber(raw: unknown): string {
  const n = normalizeDocNumber(raw);
  if (n.length === 0) return '';
  const keep = Math.min(4, Math.floor(n.length / 4));
  return n.slice(0, keep) + '*'.repeat(n.length - 2 * keep) + (keep ? n.slice(-keep) : '');
}
