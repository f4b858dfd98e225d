/**
 * ID numbers as the chip holds them (GB 11643-1999 MOD 11-2 check digit; the 2017 foreigner's card format).
 * Kept here rather than imported from core/: hardware/ may import only core/domain, and the codec needs it.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The MOD 11-2 check character for the first 17 digits. */
export function mod112CheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('mod112CheckChar expects 17 digits');
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[s % 11]!;
}

/** An 18-character number whose last character is its MOD 11-2 check. */
export function isValidMod112(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && mod112CheckChar(id.slice(0, 17)) === id[17];
}

/** Complete 17 digits with their check character (fixtures, simulator). */
export function withCheckDigit(first17: string): string {
  return first17 + mod112CheckChar(first17);
}

/** 2017 foreigner's permanent residence number: nationality alpha-3 + 12 digits. */
export const FOREIGN_2017_ID = /^[A-Z]{3}\d{12}$/;
/** 2023 foreigner's permanent residence number: 18 characters starting with 9, MOD 11-2 check. */
export function isForeign2023Id(id: string): boolean {
  return id.startsWith('9') && isValidMod112(id);
}
/** HK / Macau / Taiwan residence permit: 810000 / 820000 / 830000 + MOD 11-2. */
export function isHmtPermitId(id: string): boolean {
  return /^8[123]0000/.test(id) && isValidMod112(id);
}
