/**
 * The bounds of the numbers on the form, and the plausibility warnings: values that are possible but rare
 * (a very light baby, triplets, a mother of 52, a birth over a year ago) are let through with a "check it
 * once more"; values outside the hard bounds are errors.
 */
import { ageOn, type YMD, type YMDHM } from '../dates';
import type { Localized } from '../idnumber';
import { fieldLabel, type IssueCode } from '../issues';
import { asNum, cap, fail, open, warn, type Ctx, type Loose } from './context';

/** Bounds of the rules, exported so the UI can show them next to the fields. */
export const LIMITS = {
  weightG: { min: 300, max: 7000, plausibleMin: 1000, plausibleMax: 5000 },
  lengthCm: { min: 20, max: 65, plausibleMin: 40, plausibleMax: 58 },
  gestationalWeeks: { min: 20, max: 45, plausibleMin: 28, plausibleMax: 42 },
  plurality: { min: 1, max: 8, plausibleMax: 2 },
  motherAge: { min: 12, plausibleMin: 16, plausibleMax: 50 },
} as const;

/** The child's measurements: each within its bounds (an error), and within its plausible range (a warning). */
const MEASURES: Array<{ field: 'weightG' | 'lengthCm' | 'gestationalWeeks'; code: IssueCode; plausibleCode: IssueCode; unit: Localized; integer: boolean }> = [
  { field: 'weightG', code: 'range.weight', plausibleCode: 'plausible.weight', unit: { zh: '克', en: 'g' }, integer: true },
  { field: 'lengthCm', code: 'range.length', plausibleCode: 'plausible.length', unit: { zh: '厘米', en: 'cm' }, integer: false },
  { field: 'gestationalWeeks', code: 'range.gestational_weeks', plausibleCode: 'plausible.gestational_weeks', unit: { zh: '周', en: 'weeks' }, integer: false },
];

export function measureRules(ctx: Ctx, c: Loose): void {
  for (const { field, code, plausibleCode, unit, integer } of MEASURES) {
    const path = `child.${field}`;
    const v = asNum(c[field]);
    if (v === undefined || !open(ctx, path)) continue;
    const lim = LIMITS[field];
    const l = fieldLabel(path);
    if (integer && !Number.isInteger(v)) {
      fail(ctx, path, 'number.integer', `${l.zh}应为整数（${unit.zh}）`, `${cap(l.en)} must be a whole number of ${unit.en}`);
    } else if (v < lim.min || v > lim.max) {
      fail(ctx, path, code, `${l.zh}应在${lim.min}至${lim.max}${unit.zh}之间（填写的是${v}）`, `${cap(l.en)} must be between ${lim.min} and ${lim.max} ${unit.en} (entered ${v})`);
    } else if (v < lim.plausibleMin || v > lim.plausibleMax) {
      warn(ctx, path, plausibleCode, `${l.zh}为${v}${unit.zh}，较为少见，请再核对一遍`, `${cap(l.en)} of ${v} ${unit.en} is unusual; check it once more`);
    }
  }
}

/** A time of birth more than a year ago is possible (a late registration) but worth a second look. */
export function birthLongAgoRule(ctx: Ctx, born: YMDHM): void {
  const ageDays = (Date.UTC(ctx.today.y, ctx.today.m - 1, ctx.today.d) - Date.UTC(born.y, born.m - 1, born.d)) / 86_400_000;
  if (ageDays > 365) {
    warn(ctx, 'child.birthDateTime', 'plausible.birth_long_ago', '出生时间在一年以前，请核对', 'The time of birth is more than a year ago; check it');
  }
}

/** The mother's age at the birth: under the minimum is an error, unusually young or old a warning. */
export function motherAgeRule(ctx: Ctx, motherBirth: YMD, born: YMDHM): void {
  if (!open(ctx, 'mother.birthDate')) return;
  const age = ageOn(motherBirth, born);
  const lim = LIMITS.motherAge;
  if (age < lim.min) {
    fail(ctx, 'mother.birthDate', 'age.mother_min', `按出生日期计算，母亲分娩时仅${Math.max(age, 0)}岁，不足${lim.min}岁，请核对`, `By this birth date the mother was ${Math.max(age, 0)} at the birth, under ${lim.min}; check the dates`);
  } else if (age < lim.plausibleMin || age > lim.plausibleMax) {
    warn(ctx, 'mother.birthDate', 'age.mother_plausible', `母亲分娩时${age}岁，较为少见，请再核对一遍`, `The mother was ${age} at the birth, which is unusual; check it once more`);
  }
}
