/**
 * Calendar helpers shared by the ID and registration rules. The desk records local times
 * (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm`) in China Standard Time (UTC+8, no daylight saving), whatever
 * the PC's own time zone: "not in the future" compares against `now` seen in that zone.
 */

/** China Standard Time, minutes east of UTC. */
export const DESK_UTC_OFFSET_MINUTES = 480;

export interface YMD {
  y: number;
  m: number;
  d: number;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True when y-m-d names a day of the Gregorian calendar. */
export function isRealDate(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) &&
    y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)
  );
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function formatYmd({ y, m, d }: YMD): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Parses `YYYY-MM-DD` into a real date, or null (wrong shape or no such day, e.g. 2023-02-29). */
export function parseIsoDate(s: unknown): YMD | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const v = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  return isRealDate(v.y, v.m, v.d) ? v : null;
}

export interface YMDHM extends YMD {
  hh: number;
  mm: number;
}

/** Parses `YYYY-MM-DDTHH:mm` into a real local date-time, or null. */
export function parseIsoMinute(s: unknown): YMDHM | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const v = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]), hh: Number(m[4]), mm: Number(m[5]) };
  if (!isRealDate(v.y, v.m, v.d) || v.hh > 23 || v.mm > 59) return null;
  return v;
}

/** `now` as a local calendar date-time at the desk's offset. */
export function deskLocal(now: Date, offsetMinutes = DESK_UTC_OFFSET_MINUTES): YMDHM {
  const t = new Date(now.getTime() + offsetMinutes * 60_000);
  return {
    y: t.getUTCFullYear(),
    m: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    hh: t.getUTCHours(),
    mm: t.getUTCMinutes(),
  };
}

/** A sortable number for a date (yyyymmdd). */
export const ymdKey = (v: YMD): number => v.y * 10_000 + v.m * 100 + v.d;
/** A sortable number for a date-time to the minute (yyyymmddhhmm). */
export const ymdhmKey = (v: YMDHM): number => ymdKey(v) * 10_000 + v.hh * 100 + v.mm;

/** Whole years from `birth` to `at` (the age on that day). */
export function ageOn(birth: YMD, at: YMD): number {
  let age = at.y - birth.y;
  if (at.m < birth.m || (at.m === birth.m && at.d < birth.d)) age -= 1;
  return age;
}

/** The words a card's "valid to" may carry instead of a date: 长期 (as the card prints it) or `permanent`. */
export function isPermanentValidity(s: string): boolean {
  return /^(?:长期|永久|permanent)$/i.test(s.trim());
}

/**
 * A time as the clerk reads it, `YYYY-MM-DD HH:mm` at the desk: an instant (`…Z` or with an offset) is shown in
 * desk time (UTC+8); a desk-local minute (`YYYY-MM-DDTHH:mm`) just loses its `T`. Anything else is returned as is.
 */
export function formatDeskTime(s: string, utcOffsetMinutes = DESK_UTC_OFFSET_MINUTES): string {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s);
    if (Number.isNaN(t)) return s;
    const d = new Date(t + utcOffsetMinutes * 60_000).toISOString();
    return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
  }
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s);
  return m ? `${m[1]} ${m[2]}` : s;
}
