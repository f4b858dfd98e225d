/**
 * Registration validation: structure (zod, mapped to bilingual FieldIssues) and the semantic rules — ID
 * numbers, names by document type, real dates, ranges, age at birth, agreement between an ID and the stated
 * birth date and sex, what each chosen service needs — plus plausibility warnings for rare but possible values.
 *
 * Never throws, whatever it is given. `mode: 'draft'` reports only what is wrong with what is present (no
 * `required`); `mode: 'submit'` also reports what is missing. In draft mode `{ ok: false, issues: [] }` means
 * "nothing wrong so far, not complete yet".
 */
import { z } from 'zod';
import { DISTRICTS, DOC_TYPES, ETHNICITIES, SEX_CODES, type DocType, type Service } from './codes';
import { isKnownNationality } from './countries';
import {
  ageOn,
  deskLocal,
  formatYmd,
  parseIsoDate,
  parseIsoMinute,
  ymdhmKey,
  ymdKey,
  type YMD,
  type YMDHM,
} from './dates';
import { normalizeDocNumber, parseIdDocument, type Localized, type ParsedIdDocument } from './idnumber';
import { IssueSink, fieldLabel, fromZodIssue, issue, type IssueCode } from './issues';
import {
  ChildSchema,
  MotherInsuranceSchema,
  ParentSchema,
  RegistrationInputSchema,
  type FieldIssue,
  type RegistrationInput,
} from './types';

export type ValidationMode = 'draft' | 'submit';
export interface ValidateOptions {
  now: Date;
  mode: ValidationMode;
  /** Minutes east of UTC at the desk (default 480, China Standard Time). */
  utcOffsetMinutes?: number;
}
export type ValidationResult =
  | { ok: true; value: RegistrationInput; warnings: FieldIssue[] }
  | { ok: false; issues: FieldIssue[]; warnings: FieldIssue[] };
export interface SectionReport {
  ok: boolean;
  issues: FieldIssue[];
  warnings: FieldIssue[];
}
export type ParentRole = 'mother' | 'father';

/** Bounds of the rules, exported so the UI can show them next to the fields. */
export const LIMITS = {
  weightG: { min: 300, max: 7000, plausibleMin: 1000, plausibleMax: 5000 },
  lengthCm: { min: 20, max: 65, plausibleMin: 40, plausibleMax: 58 },
  gestationalWeeks: { min: 20, max: 45, plausibleMin: 28, plausibleMax: 42 },
  plurality: { min: 1, max: 8, plausibleMax: 2 },
  motherAge: { min: 12, plausibleMin: 16, plausibleMax: 50 },
} as const;

// ——— small readers over unknown input ———
type Loose = Record<string, unknown>;
const asObj = (x: unknown): Loose | undefined =>
  typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : undefined;
/** A non-blank string, else undefined (blank = absent, as a half-typed draft has it). */
const asStr = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);
const asNum = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);

// ——— normalisation (applied before checking, and to the returned value) ———
const DOT_VARIANTS = /[\u2022\u2027\u30FB\uFF65\u0387\u16EB\u2219\u22C5]/g;

/**
 * Names as the desk stores them: trimmed, the middle-dot variants of minority names (•, ・, ‧…) mapped to
 * `·` (U+00B7), spaces dropped inside Chinese names and collapsed in Latin ones.
 */
export function normalizeName(raw: string): string {
  let s = raw.normalize('NFC').trim().replace(DOT_VARIANTS, '·').replace(/\s+/g, ' ');
  if (/\p{Script=Han}/u.test(s) && !/\p{Script=Latin}/u.test(s)) s = s.replace(/\s*·\s*/g, '·').replace(/ /g, '');
  return s;
}

/** Phone numbers: spaces dropped; a mobile number loses `+86` and hyphens. */
export function normalizePhone(raw: string): string {
  const s = raw.replace(/[\s\u3000]+/g, '');
  const digits = s.replace(/-/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
  return /^1\d{10}$/.test(digits) ? digits : s;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?[1-9]\d{6,7}$/;
export const isValidPhone = (s: string): boolean => MOBILE.test(s) || LANDLINE.test(s);

const CHINESE_NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;
const LATIN_NAME = /^\p{Script=Latin}[\p{Script=Latin}\p{M}]*(?:(?:[ '’-]|\. ?|, ?)[\p{Script=Latin}\p{M}]+)*\.?$/u;
export type NameScript = 'chinese' | 'chinese_or_latin';

/** Checks a (normalised) name; null when it is acceptable. */
export function checkName(name: string, script: NameScript): Localized | null {
  const chineseOk = CHINESE_NAME.test(name) && [...name.replace(/·/g, '')].length >= 2 && [...name].length <= 40;
  if (chineseOk) return null;
  if (script === 'chinese') {
    return {
      zh: '应为汉字姓名（至少两个字）；少数民族姓名中的间隔号请用“·”',
      en: 'must be in Chinese characters (at least two); minority names use “·” between parts',
    };
  }
  if (LATIN_NAME.test(name) && name.length >= 2) return null;
  return {
    zh: '应为汉字姓名，或拉丁字母姓名（可含空格、连字符“-”、撇号“\'”）',
    en: 'must be in Chinese characters, or in Latin letters with spaces, hyphens or apostrophes',
  };
}

/** Which script a parent's name must be in: Chinese for resident-ID holders and Chinese passports. */
export function parentNameScript(docType: unknown, nationality: unknown): NameScript {
  if (docType === 'resident_id') return 'chinese';
  if (docType === 'passport' && nationality === 'CHN') return 'chinese';
  return 'chinese_or_latin';
}

function normalizeParent(p: unknown): unknown {
  const o = asObj(p);
  if (!o) return p;
  const out: Loose = { ...o };
  if (typeof o.name === 'string') out.name = normalizeName(o.name);
  if (typeof o.docNumber === 'string') out.docNumber = normalizeDocNumber(o.docNumber);
  if (typeof o.nationality === 'string') out.nationality = o.nationality.trim().toUpperCase();
  if (typeof o.phone === 'string') out.phone = normalizePhone(o.phone);
  const ins = asObj(o.insurance);
  if (ins && typeof ins.bankAccount === 'string') out.insurance = { ...ins, bankAccount: ins.bankAccount.replace(/[\s-]+/g, '') };
  return out;
}

function normalizeInput(input: Loose): Loose {
  const out: Loose = { ...input };
  if ('mother' in input) out.mother = normalizeParent(input.mother);
  if ('father' in input) out.father = normalizeParent(input.father);
  const child = asObj(input.child);
  if (child && typeof child.name === 'string') out.child = { ...child, name: normalizeName(child.name) };
  const decl = asObj(input.declaration);
  if (decl) {
    const d: Loose = { ...decl };
    if (typeof decl.guardianPhone === 'string') d.guardianPhone = normalizePhone(decl.guardianPhone);
    if (typeof decl.guardianName === 'string') d.guardianName = normalizeName(decl.guardianName);
    out.declaration = d;
  }
  return out;
}

// ——— rule helpers ———
interface Ctx {
  sink: IssueSink;
  opts: ValidateOptions;
  today: YMDHM;
  docs: Partial<Record<ParentRole, ParsedIdDocument>>;
}

const fail = (ctx: Ctx, path: string, code: IssueCode, zh: string, en: string) => ctx.sink.error(issue(path, code, zh, en));
const warn = (ctx: Ctx, path: string, code: IssueCode, zh: string, en: string) => ctx.sink.warn(issue(path, code, zh, en));
/** Skip a field already reported by the structural pass (one message per field). */
const open = (ctx: Ctx, path: string) => !ctx.sink.hasIssueAt(path);

/** A real date not after today, or null (reported). */
function checkDate(ctx: Ctx, path: string, value: unknown): YMD | null {
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

function checkMinute(ctx: Ctx, path: string, value: unknown): YMDHM | null {
  if (asStr(value) === undefined || !open(ctx, path)) return null;
  const l = fieldLabel(path);
  const d = parseIsoMinute(value);
  if (!d) {
    fail(ctx, path, 'date.invalid', `${l.zh}不是真实存在的日期时间`, `${cap(l.en)} is not a real date and time (expected YYYY-MM-DDTHH:mm)`);
    return null;
  }
  if (ymdhmKey(d) > ymdhmKey(ctx.today)) {
    fail(ctx, path, 'date.future', `${l.zh}不能晚于当前时间`, `${cap(l.en)} cannot be later than now`);
    return null;
  }
  return d;
}

function checkPhone(ctx: Ctx, path: string, value: unknown): void {
  const s = asStr(value);
  if (s === undefined || !open(ctx, path) || isValidPhone(s)) return;
  const l = fieldLabel(path);
  fail(
    ctx,
    path,
    'phone.format',
    `${l.zh}应为11位手机号（1开头），或带区号的固定电话（如 0577-88001234）`,
    `${cap(l.en)} must be an 11-digit mobile number starting with 1, or a landline with its area code (e.g. 0577-88001234)`,
  );
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const DISTRICT_LIST = Object.entries(DISTRICTS).map(([c, n]) => `${c} ${n.zh}`).join('、');
const isDocType = (x: unknown): x is DocType => typeof x === 'string' && (DOC_TYPES as readonly string[]).includes(x);
const isDistrict = (x: unknown): boolean => typeof x === 'string' && x in DISTRICTS;

// ——— parent ———
function parentRules(ctx: Ctx, p: Loose, role: ParentRole): void {
  const at = (f: string) => `${role}.${f}`;
  const submit = ctx.opts.mode === 'submit';
  const docType = p.docType;
  const nationality = asStr(p.nationality);

  // name
  const name = asStr(p.name);
  if (name === undefined) {
    if (submit && open(ctx, at('name'))) ctx.sink.required(at('name'));
  } else if (open(ctx, at('name'))) {
    const bad = checkName(name, parentNameScript(docType, nationality));
    if (bad) fail(ctx, at('name'), 'name.chars', `${fieldLabel(at('name')).zh}${bad.zh}`, `${cap(fieldLabel(at('name')).en)} ${bad.en}`);
  }

  // nationality, by document type
  if (nationality === undefined) {
    if (submit && open(ctx, at('nationality'))) ctx.sink.required(at('nationality'));
  } else if (open(ctx, at('nationality'))) {
    if (!/^[A-Z]{3}$/.test(nationality)) {
      fail(ctx, at('nationality'), 'nationality.format', '国籍应为三位字母国家代码（如 CHN、USA）', 'Nationality must be a three-letter country code (e.g. CHN, USA)');
    } else if ((docType === 'resident_id' || docType === 'hmt_permit') && nationality !== 'CHN') {
      fail(ctx, at('nationality'), 'nationality.mismatch', '持居民身份证或港澳台居民居住证者国籍应为中国（CHN）', 'A resident ID or HK/Macau/Taiwan permit holder is a Chinese citizen: nationality must be CHN');
    } else if (docType === 'foreign_permanent' && nationality === 'CHN') {
      fail(ctx, at('nationality'), 'nationality.mismatch', '持外国人永久居留身份证者国籍不能是中国（CHN）', "A foreigner's permanent residence card holder's nationality cannot be CHN");
    } else if (!isKnownNationality(nationality)) {
      warn(ctx, at('nationality'), 'nationality.unknown', `国籍代码 ${nationality} 不在 ISO 3166 国家代码表中，请核对`, `Nationality code ${nationality} is not an ISO 3166 country code; check it`);
    }
  }

  // document number
  const docNumber = asStr(p.docNumber);
  let doc: ParsedIdDocument | undefined;
  if (docNumber === undefined) {
    if (submit && open(ctx, at('docNumber'))) ctx.sink.required(at('docNumber'));
  } else if (isDocType(docType) && open(ctx, at('docNumber')) && open(ctx, at('docType'))) {
    const r = parseIdDocument(docType, docNumber, { now: ctx.opts.now, utcOffsetMinutes: ctx.opts.utcOffsetMinutes, nationality });
    if (!r.ok) {
      // a passport number without nationality is reported on the nationality field
      // A passport without a valid nationality is reported once, on the nationality field (above).
      if (r.code === 'id.nationality') {
        /* reported as nationality `required` / `nationality.format` */
      } else if (r.code === 'id.empty') {
        ctx.sink.required(at('docNumber'));
      } else {
        ctx.sink.error({ path: at('docNumber'), code: r.code, message: r.message });
      }
    } else {
      doc = r.value;
      ctx.docs[role] = doc;
      if (doc.upgradedFrom15) {
        warn(ctx, at('docNumber'), 'id.upgraded_15', '已将15位旧身份证号码升级为18位，请与证件核对', 'The legacy 15-digit ID number was upgraded to 18 digits; compare it with the card');
      }
      if (doc.nationality && nationality && /^[A-Z]{3}$/.test(nationality) && doc.nationality !== nationality && open(ctx, at('nationality'))) {
        fail(ctx, at('nationality'), 'id.nationality_mismatch', `国籍与永久居留身份证号码前三位（${doc.nationality}）不一致`, `Nationality differs from the first three letters of the residence card number (${doc.nationality})`);
      }
    }
  }

  // ethnicity: required for resident-ID holders, a GB/T 3304 code whenever given
  const ethnicity = asStr(p.ethnicity);
  if (ethnicity === undefined) {
    if (submit && docType === 'resident_id' && open(ctx, at('ethnicity'))) {
      ctx.sink.required(at('ethnicity'), { zh: '居民身份证持有人须填写民族', en: 'resident ID holders state their ethnicity' });
    }
  } else if (open(ctx, at('ethnicity')) && !(ethnicity in ETHNICITIES)) {
    fail(ctx, at('ethnicity'), 'ethnicity.code', '民族应为 GB/T 3304 两位代码（如 01 汉族、22 畲族）', 'Ethnicity must be a two-digit GB/T 3304 code (e.g. 01 Han, 22 She)');
  }

  // birth date: real, not future, agrees with the document
  const birth = checkDate(ctx, at('birthDate'), p.birthDate);
  if (birth && doc?.birthDate && formatYmd(birth) !== doc.birthDate) {
    fail(ctx, at('birthDate'), 'id.birthdate_mismatch', `出生日期与证件号码中的出生日期（${doc.birthDate}）不一致`, `The birth date differs from the one inside the document number (${doc.birthDate})`);
  }

  // sex: the mother is female; a stated sex agrees with the number's parity
  const sex = p.sex;
  if (typeof sex === 'string' && (SEX_CODES as readonly string[]).includes(sex) && open(ctx, at('sex'))) {
    if (role === 'mother' && sex !== '2') {
      fail(ctx, at('sex'), 'sex.mother_female', '母亲的性别应为女（2）', "The mother's sex must be female (2)");
    } else if (role === 'father' && doc?.sex && (sex === '1' || sex === '2') && doc.sex !== sex) {
      // (for the mother, a man's number is reported once, on the number, below)
      fail(ctx, at('sex'), 'id.sex_mismatch', '性别与证件号码中的性别（倒数第二位的奇偶）不一致', "The sex differs from the one the document number encodes (odd = male, even = female)");
    }
  }
  if (role === 'mother' && doc?.sex === '1' && open(ctx, at('docNumber'))) {
    fail(ctx, at('docNumber'), 'id.sex_mismatch', '该证件号码属于男性（倒数第二位为奇数），请核对母亲的证件号码', "This document number belongs to a man (its sequence is odd); check the mother's number");
  }

  checkPhone(ctx, at('phone'), p.phone);

  // document validity
  const from = asStr(p.validFrom) ? parseIsoDate(p.validFrom) : null;
  if (asStr(p.validFrom) && !from && open(ctx, at('validFrom'))) {
    fail(ctx, at('validFrom'), 'date.invalid', '证件有效期起始日期不是真实存在的日期', 'The valid-from date is not a real date');
  }
  if (asStr(p.validTo) && p.validTo !== 'permanent' && open(ctx, at('validTo'))) {
    const to = parseIsoDate(p.validTo);
    if (!to) {
      fail(ctx, at('validTo'), 'date.invalid', '证件有效期截止日期不是真实存在的日期', 'The expiry date is not a real date');
    } else if (from && ymdKey(to) < ymdKey(from)) {
      fail(ctx, at('validTo'), 'date.order', '证件有效期截止日期早于起始日期', 'The expiry date is before the valid-from date');
    } else if (ymdKey(to) < ymdKey(ctx.today)) {
      warn(ctx, at('validTo'), 'id.expired', `证件已于 ${formatYmd(to)} 过期，相关部门可能不予受理`, `The document expired on ${formatYmd(to)}; departments may refuse it`);
    }
  }

  // mother's insurance details
  if (role === 'mother') {
    const ins = asObj(p.insurance);
    const bank = asStr(ins?.bankAccount);
    if (bank !== undefined && open(ctx, 'mother.insurance.bankAccount') && !/^\d{10,30}$/.test(bank)) {
      fail(ctx, 'mother.insurance.bankAccount', 'bank.format', '银行账号应为10至30位数字', 'The bank account must be 10 to 30 digits');
    }
  }
}

// ——— child ———
function childRules(ctx: Ctx, c: Loose, nameScript: NameScript): YMDHM | null {
  const submit = ctx.opts.mode === 'submit';
  const name = asStr(c.name);
  if (name !== undefined && open(ctx, 'child.name')) {
    const bad = checkName(name, nameScript);
    if (bad) fail(ctx, 'child.name', 'name.chars', `新生儿姓名${bad.zh}`, `The child's name ${bad.en}`);
  }
  const born = checkMinute(ctx, 'child.birthDateTime', c.birthDateTime);
  if (born) {
    const ageDays = (Date.UTC(ctx.today.y, ctx.today.m - 1, ctx.today.d) - Date.UTC(born.y, born.m - 1, born.d)) / 86_400_000;
    if (ageDays > 365) {
      warn(ctx, 'child.birthDateTime', 'plausible.birth_long_ago', '出生时间在一年以前，请核对', 'The time of birth is more than a year ago; check it');
    }
  }

  const range = (
    field: 'weightG' | 'lengthCm' | 'gestationalWeeks',
    code: IssueCode,
    plausibleCode: IssueCode,
    unit: Localized,
    integer: boolean,
  ) => {
    const path = `child.${field}`;
    const v = asNum(c[field]);
    if (v === undefined || !open(ctx, path)) return;
    const lim = LIMITS[field];
    const l = fieldLabel(path);
    if (integer && !Number.isInteger(v)) {
      fail(ctx, path, 'number.integer', `${l.zh}应为整数（${unit.zh}）`, `${cap(l.en)} must be a whole number of ${unit.en}`);
    } else if (v < lim.min || v > lim.max) {
      fail(ctx, path, code, `${l.zh}应在${lim.min}至${lim.max}${unit.zh}之间（填写的是${v}）`, `${cap(l.en)} must be between ${lim.min} and ${lim.max} ${unit.en} (entered ${v})`);
    } else if (v < lim.plausibleMin || v > lim.plausibleMax) {
      warn(ctx, path, plausibleCode, `${l.zh}为${v}${unit.zh}，较为少见，请再核对一遍`, `${cap(l.en)} of ${v} ${unit.en} is unusual; check it once more`);
    }
  };
  range('weightG', 'range.weight', 'plausible.weight', { zh: '克', en: 'g' }, true);
  range('lengthCm', 'range.length', 'plausible.length', { zh: '厘米', en: 'cm' }, false);
  range('gestationalWeeks', 'range.gestational_weeks', 'plausible.gestational_weeks', { zh: '周', en: 'weeks' }, false);

  const plurality = asNum(c.plurality);
  if (plurality !== undefined && open(ctx, 'child.plurality')) {
    if (!Number.isInteger(plurality) || plurality < LIMITS.plurality.min || plurality > LIMITS.plurality.max) {
      fail(ctx, 'child.plurality', 'range.plurality', '胎数应为1至8的整数（单胎为1，双胎为2）', 'The number of babies must be a whole number from 1 to 8 (1 single, 2 twins)');
    } else if (plurality > LIMITS.plurality.plausibleMax) {
      warn(ctx, 'child.plurality', 'plausible.plurality', `本次分娩为${plurality}胎，较为少见，请再核对一遍`, `${plurality} babies in one birth is rare; check it once more`);
    }
  }
  const order = asNum(c.birthOrder);
  if (order !== undefined && open(ctx, 'child.birthOrder') && !ctx.sink.hasIssueAt('child.plurality')) {
    const max = plurality !== undefined && Number.isInteger(plurality) ? plurality : LIMITS.plurality.max;
    if (!Number.isInteger(order) || order < 1 || order > max) {
      fail(ctx, 'child.birthOrder', 'range.birth_order', `出生顺序应为1至${max}的整数，且不大于胎数`, `The birth order must be a whole number from 1 to ${max}, not more than the number of babies`);
    }
  }
  if (submit && asStr(c.attendant) === undefined && open(ctx, 'child.attendant')) ctx.sink.required('child.attendant');
  return born;
}

// ——— structural pass ———
function structural(schema: z.ZodType, input: unknown, sink: IssueSink, prefix = ''): unknown {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  for (const zi of r.error.issues) sink.error(fromZodIssue(zi, prefix));
  return undefined;
}

const MotherSchema = ParentSchema.extend({ insurance: MotherInsuranceSchema, inpatientNumber: z.string().max(40).optional() });

function mkCtx(opts: ValidateOptions): Ctx {
  const mode: ValidationMode = opts.mode === 'draft' ? 'draft' : 'submit';
  const now = opts.now instanceof Date && !Number.isNaN(opts.now.getTime()) ? opts.now : new Date();
  return { sink: new IssueSink(mode), opts: { ...opts, mode, now }, today: deskLocal(now, opts.utcOffsetMinutes), docs: {} };
}

const notAnObject = (path: string): FieldIssue =>
  issue(path, 'type', `${fieldLabel(path).zh}应为一组信息`, `${cap(fieldLabel(path).en)} must be a group of fields`);

/** Checks one parent (the form's mother or father section) on its own, with paths like `mother.docNumber`. */
export function validateParent(parent: unknown, role: ParentRole, opts: ValidateOptions): SectionReport {
  try {
    const ctx = mkCtx(opts);
    if (role === 'father' && parent === null) return { ok: true, issues: [], warnings: [] };
    const o = asObj(parent);
    if (!o) {
      if (parent === undefined) ctx.sink.required(role);
      else ctx.sink.error(notAnObject(role));
      return report(ctx);
    }
    const p = normalizeParent(o) as Loose;
    structural(role === 'mother' ? MotherSchema : ParentSchema, p, ctx.sink, role);
    parentRules(ctx, p, role);
    return report(ctx);
  } catch {
    return crashed(role);
  }
}

/** Checks the child section on its own. `latinNameAllowed` when a parent is not a Chinese-ID holder. */
export function validateChild(child: unknown, opts: ValidateOptions & { latinNameAllowed?: boolean }): SectionReport {
  try {
    const ctx = mkCtx(opts);
    const o = asObj(child);
    if (!o) {
      if (child === undefined) ctx.sink.required('child');
      else ctx.sink.error(notAnObject('child'));
      return report(ctx);
    }
    const c = { ...o, ...(typeof o.name === 'string' ? { name: normalizeName(o.name) } : {}) };
    structural(ChildSchema, c, ctx.sink, 'child');
    childRules(ctx, c, opts.latinNameAllowed ? 'chinese_or_latin' : 'chinese');
    return report(ctx);
  } catch {
    return crashed('child');
  }
}

function report(ctx: Ctx): SectionReport {
  return { ok: ctx.sink.issues.length === 0, issues: ctx.sink.issues, warnings: ctx.sink.warnings };
}

function crashed(path: string): SectionReport {
  return { ok: false, issues: [issue(path, 'type', `${fieldLabel(path).zh}的内容无法读取`, `${cap(fieldLabel(path).en)} could not be read`)], warnings: [] };
}

const has = (services: Service[], s: Service) => services.includes(s);

/** Validates a whole registration (the form) for `draft` (as typed) or `submit` (complete). */
export function validateRegistration(input: unknown, opts: ValidateOptions): ValidationResult {
  try {
    return validateUnsafe(input, opts);
  } catch {
    const r = crashed('');
    return { ok: false, issues: r.issues, warnings: [] };
  }
}

function validateUnsafe(input: unknown, opts: ValidateOptions): ValidationResult {
  const ctx = mkCtx(opts);
  const { sink } = ctx;
  const submit = ctx.opts.mode === 'submit';
  const root = asObj(input);
  if (!root) {
    sink.error(notAnObject(''));
    return { ok: false, issues: sink.issues, warnings: [] };
  }
  const reg = normalizeInput(root);
  const parsed = structural(RegistrationInputSchema, reg, sink) as RegistrationInput | undefined;

  const mother = asObj(reg.mother);
  const father = asObj(reg.father);
  const child = asObj(reg.child);
  const decl = asObj(reg.declaration);
  const services = (Array.isArray(reg.services) ? reg.services : []).filter((s): s is Service => typeof s === 'string');

  if (mother) parentRules(ctx, mother, 'mother');
  if (father) parentRules(ctx, father, 'father');

  const chineseOnly =
    (!mother || parentNameScript(mother.docType, mother.nationality) === 'chinese') &&
    (!father || parentNameScript(father.docType, father.nationality) === 'chinese');
  const born = child ? childRules(ctx, child, chineseOnly ? 'chinese' : 'chinese_or_latin') : null;

  // the mother's age at the birth
  const motherBirth = parseIsoDate(mother?.birthDate) ?? parseIsoDate(ctx.docs.mother?.birthDate);
  if (born && motherBirth && open(ctx, 'mother.birthDate')) {
    const age = ageOn(motherBirth, born);
    const lim = LIMITS.motherAge;
    if (age < lim.min) {
      fail(ctx, 'mother.birthDate', 'age.mother_min', `按出生日期计算，母亲分娩时仅${Math.max(age, 0)}岁，不足${lim.min}岁，请核对`, `By this birth date the mother was ${Math.max(age, 0)} at the birth, under ${lim.min}; check the dates`);
    } else if (age < lim.plausibleMin || age > lim.plausibleMax) {
      warn(ctx, 'mother.birthDate', 'age.mother_plausible', `母亲分娩时${age}岁，较为少见，请再核对一遍`, `The mother was ${age} at the birth, which is unusual; check it once more`);
    }
  }

  // vaccinations
  const doses = Array.isArray(reg.vaccinations) ? reg.vaccinations : [];
  const seen = new Set<string>();
  doses.forEach((d, i) => {
    const dose = asObj(d);
    if (!dose) return;
    const path = `vaccinations.${i}.givenAt`;
    const given = checkMinute(ctx, path, dose.givenAt);
    if (given && born && ymdhmKey(given) < ymdhmKey(born)) {
      fail(ctx, path, 'vaccination.before_birth', '接种时间早于出生时间，请核对', 'The vaccination time is before the time of birth; check it');
    }
    if (typeof dose.vaccine === 'string') {
      if (seen.has(dose.vaccine) && open(ctx, `vaccinations.${i}.vaccine`)) {
        fail(ctx, `vaccinations.${i}.vaccine`, 'vaccination.duplicate', '同一疫苗登记了两次', 'The same vaccine is entered twice');
      }
      seen.add(dose.vaccine);
    }
  });

  // evidences
  const evidences = Array.isArray(reg.evidences) ? reg.evidences : [];
  const kinds = new Set<string>();
  evidences.forEach((e, i) => {
    const ev = asObj(e);
    if (!ev || typeof ev.kind !== 'string' || !open(ctx, `evidences.${i}.kind`)) return;
    if (kinds.has(ev.kind)) fail(ctx, `evidences.${i}.kind`, 'evidence.duplicate', '同一份材料登记了两次', 'The same evidence is listed twice');
    else if (ev.kind === 'father_id' && reg.father === null) {
      fail(ctx, `evidences.${i}.kind`, 'evidence.father_absent', '未登记父亲信息，不能提交父亲身份证件', "No father is recorded, so there is no father's ID to present");
    }
    kinds.add(ev.kind);
  });

  // declaration
  if (decl) {
    checkPhone(ctx, 'declaration.guardianPhone', decl.guardianPhone);
    if (submit && asStr(decl.guardianPhone) === undefined && open(ctx, 'declaration.guardianPhone')) ctx.sink.required('declaration.guardianPhone');
    if (submit && asStr(decl.guardianName) === undefined && open(ctx, 'declaration.guardianName')) ctx.sink.required('declaration.guardianName');
    const g = asStr(decl.guardianName);
    if (g !== undefined && open(ctx, 'declaration.guardianName')) {
      const bad = checkName(g, 'chinese_or_latin');
      if (bad) fail(ctx, 'declaration.guardianName', 'name.chars', `监护人姓名${bad.zh}`, `The guardian's name ${bad.en}`);
    }
  }

  // services: unique, and what each chosen one needs
  if (open(ctx, 'services')) {
    const dup = services.find((s, i) => services.indexOf(s) !== i);
    if (dup) fail(ctx, 'services', 'services.duplicate', '申办事项有重复', 'A service is chosen twice');
  }
  const why = (s: Service): Localized => ({ zh: `办理${SERVICE_ZH[s]}需要`, en: `needed for ${SERVICE_EN[s]}` });
  if (has(services, 'household_registration')) {
    if (child && asStr(child.name) === undefined && open(ctx, 'child.name')) sink.required('child.name', why('household_registration'));
    if (child && (child.sex === '0' || child.sex === '9') && open(ctx, 'child.sex')) {
      fail(ctx, 'child.sex', 'household.child_sex', '出生户口登记需要明确的性别（男或女），身份证号码按性别编排', 'Household registration needs the sex as male or female: the ID number encodes it');
    }
    if (decl && !isDistrict(decl.householdDistrict) && open(ctx, 'declaration.householdDistrict')) {
      sink.required('declaration.householdDistrict', { zh: `办理出生户口登记需要，可选：${DISTRICT_LIST}`, en: 'needed for household registration: one of the 12 Wenzhou district codes' });
    }
    if (decl && asStr(decl.householdAddress) === undefined && open(ctx, 'declaration.householdAddress')) sink.required('declaration.householdAddress', why('household_registration'));
    const citizenParent = [mother, father].some((p) => p?.docType === 'resident_id');
    if ((mother || father) && !citizenParent && open(ctx, 'services')) {
      fail(ctx, 'services', 'bundle.household_needs_citizen_parent', '出生户口登记需要父母至少一方持中国居民身份证', 'Household registration needs at least one parent holding a Chinese resident ID card');
    }
    if (!has(services, 'birth_certificate')) needsBirthCertificate(ctx, 'household_registration');
  }
  if (has(services, 'maternity_insurance')) {
    const ins = asObj(mother?.insurance);
    if (ins && ins.insured === false && open(ctx, 'mother.insurance.insured')) {
      fail(ctx, 'mother.insurance.insured', 'insurance.not_insured', '母亲未参加生育保险，不能申领生育保险待遇', 'The mother is not insured, so there is no maternity insurance claim to file');
    } else if (ins && ins.insured === true && !isDistrict(ins.insuredDistrict) && open(ctx, 'mother.insurance.insuredDistrict')) {
      sink.required('mother.insurance.insuredDistrict', why('maternity_insurance'));
    }
    if (!has(services, 'birth_certificate')) needsBirthCertificate(ctx, 'maternity_insurance');
  }
  if (has(services, 'citizen_card')) {
    if (!has(services, 'household_registration') && open(ctx, 'services')) {
      fail(ctx, 'services', 'bundle.citizen_card_needs_household', '市民卡需要孩子的身份证号码：请同时办理出生户口登记', "The citizen card needs the child's ID number: choose household registration in the same bundle");
    }
    const delivery = asObj(decl?.cardDelivery);
    if (delivery?.method === 'post' && asStr(delivery.address) === undefined && open(ctx, 'declaration.cardDelivery.address')) {
      sink.required('declaration.cardDelivery.address', { zh: '邮寄市民卡需要', en: 'needed to post the card' });
    }
    if (delivery?.method === 'pickup' && asStr(delivery.pickupPoint) === undefined && open(ctx, 'declaration.cardDelivery.pickupPoint')) {
      sink.required('declaration.cardDelivery.pickupPoint', { zh: '到网点领取市民卡需要', en: 'needed to pick the card up' });
    }
  }

  if (sink.issues.length > 0 || !parsed) return { ok: false, issues: sink.issues, warnings: sink.warnings };
  // The value: zod's output, with each document number in its normal form (x → X, 15 → 18 digits).
  const value: RegistrationInput = {
    ...parsed,
    mother: { ...parsed.mother, docNumber: ctx.docs.mother?.number ?? parsed.mother.docNumber },
    father: parsed.father ? { ...parsed.father, docNumber: ctx.docs.father?.number ?? parsed.father.docNumber } : null,
  };
  return { ok: true, value, warnings: sink.warnings };
}

function needsBirthCertificate(ctx: Ctx, s: Service): void {
  if (!open(ctx, 'services')) return;
  fail(
    ctx,
    'services',
    'bundle.needs_birth_certificate',
    `${SERVICE_ZH[s]}需要出生医学证明编号：请同时办理出生医学证明`,
    `${cap(SERVICE_EN[s])} needs the birth certificate number: choose the birth certificate in the same bundle`,
  );
}

const SERVICE_ZH: Record<Service, string> = {
  birth_certificate: '出生医学证明',
  vaccination: '预防接种登记',
  maternity_insurance: '生育保险待遇申领',
  household_registration: '出生户口登记',
  citizen_card: '市民卡',
};
const SERVICE_EN: Record<Service, string> = {
  birth_certificate: 'the birth certificate',
  vaccination: 'vaccination registration',
  maternity_insurance: 'the maternity insurance claim',
  household_registration: 'household registration',
  citizen_card: 'the citizen card',
};
