/**
 * Names and how the desk normalises input before checking it (and in the value it returns): names, document
 * numbers, nationalities, phones and bank accounts; plus which script a name must be written in.
 */
import { normalizeDocNumber, type Localized } from '../idnumber';
import { normalizePhone } from '../phone';
import { isPermanentValidity } from '../dates';
import { asObj, type Loose } from './context';

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

export function normalizeParent(p: unknown): unknown {
  const o = asObj(p);
  if (!o) return p;
  const out: Loose = { ...o };
  if (typeof o.name === 'string') out.name = normalizeName(o.name);
  if (typeof o.docNumber === 'string') out.docNumber = normalizeDocNumber(o.docNumber);
  if (typeof o.nationality === 'string') out.nationality = o.nationality.trim().toUpperCase();
  if (typeof o.phone === 'string') out.phone = normalizePhone(o.phone);
  if (typeof o.validTo === 'string' && isPermanentValidity(o.validTo)) out.validTo = 'permanent'; // 长期 as the card prints it
  const ins = asObj(o.insurance);
  if (ins && typeof ins.bankAccount === 'string') out.insurance = { ...ins, bankAccount: ins.bankAccount.replace(/[\s-]+/g, '') };
  return out;
}

export function normalizeInput(input: Loose): Loose {
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
