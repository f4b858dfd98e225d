/**
 * Normalised lookup keys stored beside the JSON document, so every search is an index lookup.
 * The same functions normalise the stored values and the search terms.
 */
import { phoneDigits } from '../domain/phone';

/** ID document numbers: NFKC (full-width digits), no spaces, upper-case (the X check character). */
export function docKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** Names: NFKC, lower-case, without spaces and the middle dots of transliterated names (·・•.). */
export function nameKey(s: string): string {
  return s.normalize('NFKC').replace(/[\s·・•.\u00b7]/g, '').toLowerCase();
}

/** Phones: digits only, without a leading +86/0086 country code (the domain's phone rule). */
export const phoneKey = phoneDigits;

/** `YYYY-MM-DDTHH:mm` (desk-local) as minutes on a uniform scale (the zone cancels out in differences). */
export function minuteOf(isoMinute: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(isoMinute);
  if (!m) throw new RangeError('expected YYYY-MM-DDTHH:mm');
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) / 60_000;
}

/** Upper bound for a prefix range scan: every string starting with `prefix` sorts below it. */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
