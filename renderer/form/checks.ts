/**
 * Instant, local field checks while the clerk types (on blur, then on change): ID numbers (GB 11643 check
 * character, permits, passports), real dates not in the future, phone shapes, numbers. They reuse the domain's
 * own pure functions; the authoritative report is still `validateDraft` on the desk service, which also knows the
 * rules that span fields and services. The resolver turns these into react-hook-form errors whose message is the
 * bilingual pair (JSON), shown in the clerk's language.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { parseIdDocument, type Localized } from '../../domain/idnumber';
import { deskLocal, parseIsoDate, parseIsoMinute, ymdhmKey, ymdKey } from '../../domain/dates';
import type { DocType } from '../../domain/codes';
import { isValidPhone, normalizePhone } from '../../domain/phone';
import { phoneFormatMessage } from '../../domain/rules/context';
import { normaliseDate, normaliseDateTime, type FormValues, type ParentForm } from './model';

export interface LocalIssue {
  path: string;
  message: Localized;
}

/** The domain's phone rule, on the number as the domain normalises it (spaces, `+86`, hyphens of a mobile). */
function checkPhone(path: string, raw: string, out: LocalIssue[]): void {
  const phone = normalizePhone(raw);
  if (phone !== '' && !isValidPhone(phone)) out.push({ path, message: phoneFormatMessage(path) });
}

function checkParent(prefix: 'mother' | 'father', p: ParentForm, now: Date, out: LocalIssue[]): void {
  const number = p.docNumber.trim();
  if (number !== '') {
    const r = parseIdDocument(p.docType as DocType, number, { now, nationality: p.nationality.trim().toUpperCase() });
    if (!r.ok) out.push({ path: `${prefix}.docNumber`, message: r.message });
  }
  const bd = p.birthDate.trim();
  if (bd !== '') {
    const d = parseIsoDate(normaliseDate(bd));
    if (!d) out.push({ path: `${prefix}.birthDate`, message: { zh: '出生日期不是真实的日期，应为 年-月-日，如 1990-03-15', en: 'The birth date is not a real date; type it as YYYY-MM-DD, e.g. 1990-03-15' } });
    else if (ymdKey(d) > ymdKey(deskLocal(now))) out.push({ path: `${prefix}.birthDate`, message: { zh: '出生日期不能晚于今天', en: 'The birth date cannot be after today' } });
  }
  const nat = p.nationality.trim();
  if (nat !== '' && !/^[A-Za-z]{3}$/.test(nat)) out.push({ path: `${prefix}.nationality`, message: { zh: '国籍应为三位字母代码，如 CHN', en: 'Nationality is a 3-letter code, e.g. CHN' } });
  checkPhone(`${prefix}.phone`, p.phone, out);
}

function checkNumber(path: string, raw: string, out: LocalIssue[]): void {
  const v = raw.trim();
  if (v !== '' && !Number.isFinite(Number(v))) out.push({ path, message: { zh: '请填写数字', en: 'Type a number' } });
}

export function localIssues(v: FormValues, now = new Date()): LocalIssue[] {
  const out: LocalIssue[] = [];
  checkParent('mother', v.mother, now, out);
  if (v.hasFather) checkParent('father', v.father, now, out);
  const bdt = v.child.birthDateTime.trim();
  if (bdt !== '') {
    const d = parseIsoMinute(normaliseDateTime(bdt));
    if (!d)
      out.push({
        path: 'child.birthDateTime',
        message: { zh: '出生时间不是真实的日期时间，应为 年-月-日 时:分，如 2026-03-14 08:25', en: 'The time of birth is not a real date and time; type it as YYYY-MM-DD HH:mm, e.g. 2026-03-14 08:25' },
      });
    else if (ymdhmKey(d) > ymdhmKey(deskLocal(now))) out.push({ path: 'child.birthDateTime', message: { zh: '出生时间不能晚于现在', en: 'The time of birth cannot be in the future' } });
  }
  checkNumber('child.gestationalWeeks', v.child.gestationalWeeks, out);
  checkNumber('child.weightG', v.child.weightG, out);
  checkNumber('child.lengthCm', v.child.lengthCm, out);
  checkPhone('declaration.guardianPhone', v.declaration.guardianPhone, out);
  v.vaccinations.forEach((dose, i) => {
    const g = dose.givenAt.trim();
    if (g !== '' && !parseIsoMinute(normaliseDateTime(g))) out.push({ path: `vaccinations.${i}.givenAt`, message: { zh: '接种时间不是真实的日期时间', en: 'The time given is not a real date and time' } });
  });
  return out;
}

const FormSchema = z.custom<FormValues>(() => true).superRefine((v, ctx) => {
  for (const i of localIssues(v)) ctx.addIssue({ code: 'custom', path: i.path.split('.'), message: JSON.stringify(i.message) });
});

export const formResolver = zodResolver(FormSchema);

/** The bilingual message carried in a react-hook-form error. */
export function decodeMessage(message: unknown): Localized | null {
  if (typeof message !== 'string' || message === '') return null;
  try {
    const m = JSON.parse(message) as Localized;
    if (typeof m.zh === 'string' && typeof m.en === 'string') return m;
  } catch {
    /* a plain message */
  }
  return { zh: message, en: message };
}
