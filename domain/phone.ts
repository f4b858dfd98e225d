/**
 * The one phone rule of the desk: what a phone number is (a mainland mobile, or a landline with its area
 * code), how the form's value is normalised, the digits a search matches on, and how a receipt masks it.
 * Everything else (validation, the store's search key, the audit trail's PII guard) uses these.
 */

/** A mainland mobile number: 11 digits, 1 then 3–9. The source, for patterns that look for one inside text. */
export const MOBILE_PATTERN = '1[3-9]\\d{9}';
const MOBILE = new RegExp(`^${MOBILE_PATTERN}$`);
/** A landline with its area code (0 + 2–3 digits), an optional hyphen, then 7–8 digits not starting with 0. */
const LANDLINE = /^0\d{2,3}-?[1-9]\d{6,7}$/;
/** A Hong Kong (+852) or Macau (+853) number: the country code, then 8 digits not starting with 0 or 1. */
const HK_MACAU = /^\+85[23][2-9]\d{7}$/;

/** Phone numbers as the form stores them: spaces dropped; a mobile number loses `+86` and hyphens. */
export function normalizePhone(raw: string): string {
  const s = raw.replace(/[\s\u3000]+/g, '');
  const digits = s.replace(/-/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  if (/^1\d{10}$/.test(digits)) return digits;
  // Hong Kong / Macau: `+852 9123 4567`, `00853-6612-3456`, `(+852)91234567` → `+85291234567`
  const hm = /^(?:\+|00)(85[23])(\d{8})$/.exec(s.replace(/[-()]/g, ''));
  if (hm) return `+${hm[1]}${hm[2]}`;
  return s;
}

/** True for a (normalised) mainland mobile, mainland landline, or Hong Kong / Macau number. */
export const isValidPhone = (s: string): boolean => MOBILE.test(s) || LANDLINE.test(s) || HK_MACAU.test(s);

/** The digits a search matches on: NFKC, digits only, without a leading +86/0086 country code. */
export function phoneDigits(s: string): string {
  let d = s.normalize('NFKC').replace(/\D/g, '');
  if (d.startsWith('0086') && d.length > 12) d = d.slice(4);
  else if (d.startsWith('86') && d.length === 13) d = d.slice(2);
  return d;
}

/** 138****5678: phones are personal data too; the family knows their own number. */
export function maskPhone(raw: string): string {
  const s = raw.replace(/\s+/g, '');
  if (s.length <= 4) return '*'.repeat(s.length);
  const head = s.length >= 11 ? 3 : Math.min(2, s.length - 4);
  return s.slice(0, head) + '*'.repeat(s.length - head - 4) + s.slice(-4);
}
