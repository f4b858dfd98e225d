/**
 * Registration validation: structure (zod, mapped to bilingual FieldIssues) and the semantic rules — ID
 * numbers, names by document type, real dates, ranges, age at birth, agreement between an ID and the stated
 * birth date and sex, what each chosen service needs — plus plausibility warnings for rare but possible values.
 * The rules live per section in `rules/` (parent, child, declaration and services, vaccinations and evidences,
 * plausibility); this file runs them in order and is the module's public face.
 *
 * Never throws, whatever it is given. `mode: 'draft'` reports only what is wrong with what is present (no
 * `required`); `mode: 'submit'` also reports what is missing. In draft mode `{ ok: false, issues: [] }` means
 * "nothing wrong so far, not complete yet".
 */
import { z } from 'zod';
import type { Service } from './codes';
import { parseIsoDate } from './dates';
import { IssueSink, fieldLabel, fromZodIssue, issue } from './issues';
import { childRules } from './rules/child';
import { asObj, cap, mkCtx, type Ctx, type Loose, type ParentRole, type SectionReport, type ValidateOptions } from './rules/context';
import { declarationRules, serviceRules } from './rules/declaration';
import { vaccinationAndEvidenceRules } from './rules/evidences';
import { normalizeInput, normalizeName, normalizeParent, parentNameScript } from './rules/names';
import { parentRules } from './rules/parent';
import { motherAgeRule } from './rules/plausibility';
import {
  ChildSchema,
  MotherInsuranceSchema,
  ParentSchema,
  RegistrationInputSchema,
  type FieldIssue,
  type RegistrationInput,
} from './types';

export type { ParentRole, SectionReport, ValidateOptions, ValidationMode } from './rules/context';
export { checkName, normalizeName, parentNameScript, type NameScript } from './rules/names';
export { LIMITS } from './rules/plausibility';

export type ValidationResult =
  | { ok: true; value: RegistrationInput; warnings: FieldIssue[] }
  | { ok: false; issues: FieldIssue[]; warnings: FieldIssue[] };

// ——— structural pass ———
function structural(schema: z.ZodType, input: unknown, sink: IssueSink, prefix = ''): unknown {
  const r = schema.safeParse(input, { reportInput: true });
  if (r.success) return r.data;
  for (const zi of r.error.issues) sink.error(fromZodIssue(zi, prefix));
  return undefined;
}

const MotherSchema = ParentSchema.extend({ insurance: MotherInsuranceSchema, inpatientNumber: z.string().max(40).optional() });

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
  const services = (Array.isArray(reg.services) ? reg.services : []).filter((s): s is Service => typeof s === 'string');

  if (mother) parentRules(ctx, mother, 'mother');
  if (father) parentRules(ctx, father, 'father');

  const chineseOnly =
    (!mother || parentNameScript(mother.docType, mother.nationality) === 'chinese') &&
    (!father || parentNameScript(father.docType, father.nationality) === 'chinese');
  const born = child ? childRules(ctx, child, chineseOnly ? 'chinese' : 'chinese_or_latin') : null;

  const motherBirth = parseIsoDate(mother?.birthDate) ?? parseIsoDate(ctx.docs.mother?.birthDate);
  if (born && motherBirth) motherAgeRule(ctx, motherBirth, born);
  vaccinationAndEvidenceRules(ctx, reg, born);
  declarationRules(ctx, asObj(reg.declaration));
  serviceRules(ctx, reg, services);

  if (sink.issues.length > 0 || !parsed) return { ok: false, issues: sink.issues, warnings: sink.warnings };
  // The value: zod's output, with each document number in its normal form (x → X, 15 → 18 digits).
  const value: RegistrationInput = {
    ...parsed,
    mother: { ...parsed.mother, docNumber: ctx.docs.mother?.number ?? parsed.mother.docNumber },
    father: parsed.father ? { ...parsed.father, docNumber: ctx.docs.father?.number ?? parsed.father.docNumber } : null,
  };
  return { ok: true, value, warnings: sink.warnings };
}
