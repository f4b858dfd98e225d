/**
 * GB 11643-1999 citizen identity numbers, the city's own copy (city-api/ imports nothing of the desk's):
 * 6-digit address code, 8-digit birth date, 3-digit sequence (odd for males, even for females) and a
 * MOD 11-2 check character.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The MOD 11-2 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar: expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** True when `yyyymmdd` is a real calendar date. */
export function isRealDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1850 || m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

export type IdNumberProblem = 'invalid_format' | 'invalid_birth_date' | 'invalid_check_digit';

/** Why an 18-character resident ID number is not valid, or null when it is. */
export function idNumberProblem(value: string): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(value)) return 'invalid_format';
  if (!isRealDate(value.slice(6, 14))) return 'invalid_birth_date';
  if (idCheckChar(value.slice(0, 17)) !== value[17]) return 'invalid_check_digit';
  return null;
}

export function isValidIdNumber(value: string): boolean {
  return idNumberProblem(value) === null;
}

/**
 * Compose a valid number: `area` (6 digits), `birthDate` (YYYYMMDD), `sequence` (1..999; its parity is the
 * sex: odd male, even female).
 */
export function composeIdNumber(area: string, birthDate: string, sequence: number): string {
  if (!/^\d{6}$/.test(area)) throw new RangeError('composeIdNumber: area must be 6 digits');
  if (!isRealDate(birthDate)) throw new RangeError('composeIdNumber: birthDate must be a real YYYYMMDD date');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new RangeError('composeIdNumber: sequence must be an integer in 1..999');
  }
  const first17 = `${area}${birthDate}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}
