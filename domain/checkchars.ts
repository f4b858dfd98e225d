/**
 * The check characters of identity-document numbers: ISO 7064 MOD 11-2 (resident IDs, permits, the 2023
 * permanent residence card) and ICAO 9303's 7-3-1 check digit (the 2017 permanent residence card).
 */

const MOD112_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const MOD112_CHARS = '10X98765432';

/** ISO 7064 MOD 11-2 check character for 17 digits, or null when the input is not 17 digits. */
export function mod112CheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * MOD112_WEIGHTS[i]!;
  return MOD112_CHARS[s % 11]!;
}

/** True when an 18-character number's last character is its MOD 11-2 check character. */
export function hasValidMod112(id18: string): boolean {
  return id18.length === 18 && mod112CheckChar(id18.slice(0, 17)) === id18[17];
}

/** ICAO 9303 character value: digits 0–9, A–Z 10–35, filler `<` 0; -1 for anything else. */
function icaoValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  if (ch === '<') return 0;
  return -1;
}

/** ICAO 9303 check digit (weights 7-3-1 repeating, sum mod 10), or null on a character outside [0-9A-Z<]. */
export function icaoCheckDigit(chars: string): string | null {
  let s = 0;
  for (let i = 0; i < chars.length; i++) {
    const v = icaoValue(chars[i]!);
    if (v < 0) return null;
    s += v * [7, 3, 1][i % 3]!;
  }
  return String(s % 10);
}

/** Builds a valid 18-character number from its 17 leading digits (fixtures, simulators). */
export function withCheckChar(first17: string): string | null {
  const c = mod112CheckChar(first17);
  return c === null ? null : first17 + c;
}

/** Builds a valid 2017 permanent residence card number from its 14 leading characters. */
export function withIcaoCheckDigit(first14: string): string | null {
  if (!/^[A-Z]{3}\d{11}$/.test(first14)) return null;
  return first14 + icaoCheckDigit(first14)!;
}
