/**
 * What every validation rule shares: the options, the issue sink, the desk's "now", the parsed identity
 * documents; small readers over unknown input; and the checks used by more than one section (dates, phones).
 */
import { DISTRICTS, DOC_TYPES, type DocType } from '../codes';
import { deskLocal, parseIsoDate, parseIsoMinute, ymdhmKey, ymdKey, type YMD, type YMDHM } from '../dates';
import type { Localized, ParsedIdDocument } from '../idnumber';
import { IssueSink, fieldLabel, issue, type IssueCode } from '../issues';
import { isValidPhone } from '../phone';
import type { FieldIssue } from '../types';

export type ValidationMode = 'draft' | 'submit';
export interface ValidateOptions {
  now: Date;
  mode: ValidationMode;
  /** Minutes east of UTC at the desk (default 480, China Standard Time). */
  utcOffsetMinutes?: number;
}
export interface SectionReport {
  ok: boolean;
  issues: FieldIssue[];
  warnings: FieldIssue[];
}
export type ParentRole = 'mother' | 'father';

// ——— small readers over unknown input ———
export type Loose = Record<string, unknown>;
export const asObj = (x: unknown): Loose | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : undefined;
/** A non-blank string, else undefined (blank = absent, as a half-typed draft has it). */
export const asStr = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);
export const asNum = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

// ——— rule helpers ———
export interface Ctx {
  sink: IssueSink;
  opts: ValidateOptions;
  today: YMDHM;
  docs: Partial<Record<ParentRole, ParsedIdDocument>>;
}

export function mkCtx(opts: ValidateOptions): Ctx {
  const mode: ValidationMode = opts.mode === 'draft' ? 'draft' : 'submit';
  const now = opts.now instanceof Date && !Number.isNaN(opts.now.getTime()) ? opts.now : new Date();
  return { sink: new IssueSink(mode), opts: { ...opts, mode, now }, today: deskLocal(now, opts.utcOffsetMinutes), docs: {} };
}

export const fail = (ctx: Ctx, path: string, code: IssueCode, zh: string, en: string) => ctx.sink.error(issue(path, code, zh, en));
export const warn = (ctx: Ctx, path: string, code: IssueCode, zh: string, en: string) => ctx.sink.warn(issue(path, code, zh, en));
/** Skip a field already reported by the structural pass (one message per field). */
export const open = (ctx: Ctx, path: string) => !ctx.sink.hasIssueAt(path);
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const isDocType = (x: unknown): x is DocType => typeof x === 'string' && (DOC_TYPES as readonly string[]).includes(x);
export const isDistrict = (x: unknown): boolean => typeof x === 'string' && x in DISTRICTS;

/** A real date not after today, or null (reported). */
export function checkDate(ctx: Ctx, path: string, value: unknown): YMD | null {
  if (asStr(value) === undefined || !open(ctx, path)) return null;
  const l = fieldLabel(path);
  const d = parseIsoDate(value);
  if (!d) {
    fail(ctx, path, 'date.invalid', `${l.zh}不是真实存在的日期`, `${cap(l.en)} is not a real date (expected YYYY-MM-DD)`);
    return null;
  }
  if (ymdKey(d) > ymdKey(ctx.today)) {
    fail(ctx, path, 'date.future', `${l.zh}不能晚于今天`, `${cap(l.en)} cannot be after today`);
    return null;
  }
  return d;
}

export function checkMinute(ctx: Ctx, path: string, value: unknown): YMDHM | null {
  if (asStr(value) === undefined || !open(ctx, path)) return null;
  const l = fieldLabel(path);
  const d = parseIsoMinute(value);
  if (!d) {
    fail(ctx, path, 'date.invalid', `${l.zh}不是真实存在的日期时间`, `${cap(l.en)} is not a real date and time (expected YYYY-MM-DD HH:mm)`);
    return null;
  }
  if (ymdhmKey(d) > ymdhmKey(ctx.today)) {
    fail(ctx, path, 'date.future', `${l.zh}不能晚于当前时间`, `${cap(l.en)} cannot be later than now`);
    return null;
  }
  return d;
}

/** The one message for a phone that is not a phone, naming the field (mother's, father's, guardian's). */
export function phoneFormatMessage(path: string): Localized {
  const l = fieldLabel(path);
  return {
    zh: `${l.zh}应为11位手机号（1开头）、带区号的固定电话（如 0577-88001234），或港澳号码（+852 / +853 加8位）`,
    en: `${cap(l.en)} must be an 11-digit mobile number starting with 1, a landline with its area code (e.g. 0577-88001234), or a Hong Kong / Macau number (+852 / +853 and 8 digits)`,
  };
}

export function checkPhone(ctx: Ctx, path: string, value: unknown): void {
  const s = asStr(value);
  if (s === undefined || !open(ctx, path) || isValidPhone(s)) return;
  const m = phoneFormatMessage(path);
  fail(ctx, path, 'phone.format', m.zh, m.en);
}
