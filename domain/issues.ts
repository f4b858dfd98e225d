/**
 * Field issues in plain words, in both languages: field labels, the mapping of zod's structural issues
 * onto the same `FieldIssue` shape, and a small collector the rule code writes into.
 *
 * Messages say what was expected; they never echo a name, a document number or a phone number, so an issue
 * can be logged as it is.
 */
import type { z } from 'zod';
import type { FieldIssue } from './types';
import type { Localized } from './idnumber';

/** Stable machine codes of the issues validation reports (UI and tests key on these). */
export const ISSUE_CODES = [
  // structure
  'required', 'type', 'format', 'invalid_value', 'too_long', 'too_short', 'too_many', 'range',
  // identity documents
  'id.format', 'id.province', 'id.birthdate', 'id.birthdate_future', 'id.checksum', 'id.is_permit',
  'id.permit_prefix', 'id.doc_type_mismatch', 'id.nationality', 'id.birthdate_mismatch', 'id.sex_mismatch',
  'id.nationality_mismatch', 'id.expired', 'id.upgraded_15',
  // people
  'name.chars', 'nationality.format', 'nationality.mismatch', 'nationality.unknown', 'ethnicity.code',
  'sex.mother_female', 'phone.format', 'bank.format', 'age.mother_min', 'age.mother_plausible',
  // dates
  'date.invalid', 'date.future', 'date.order', 'plausible.birth_long_ago',
  // child
  'range.weight', 'range.length', 'range.gestational_weeks', 'range.plurality', 'range.birth_order',
  'number.integer', 'plausible.weight', 'plausible.length', 'plausible.gestational_weeks', 'plausible.plurality',
  // vaccination, evidences, services
  'vaccination.before_birth', 'vaccination.duplicate', 'evidence.duplicate', 'evidence.father_absent', 'evidence.mother_id_missing',
  'services.duplicate', 'insurance.not_insured', 'bundle.needs_birth_certificate',
  'bundle.citizen_card_needs_household', 'bundle.household_needs_citizen_parent', 'household.child_sex',
  // the bundle's rule table (issue 12)
  'services.declined_and_chosen', 'household.child_unnamed', 'household.no_district', 'household.no_address',
  'insurance.no_district', 'card.no_post_address', 'card.no_pickup_point', 'draft.unreadable',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

const ROLE: Record<string, Localized> = {
  mother: { zh: '母亲', en: "the mother's" },
  father: { zh: '父亲', en: "the father's" },
  child: { zh: '新生儿', en: "the child's" },
  declaration: { zh: '申报信息', en: 'the declaration' },
};

const LEAF: Record<string, Localized> = {
  id: { zh: '登记编号', en: 'registration id' },
  name: { zh: '姓名', en: 'name' },
  sex: { zh: '性别', en: 'sex' },
  docType: { zh: '证件类型', en: 'document type' },
  docNumber: { zh: '证件号码', en: 'document number' },
  nationality: { zh: '国籍', en: 'nationality' },
  ethnicity: { zh: '民族', en: 'ethnicity' },
  birthDate: { zh: '出生日期', en: 'birth date' },
  address: { zh: '户籍地址', en: 'registered address' },
  phone: { zh: '联系电话', en: 'phone number' },
  issuingAuthority: { zh: '签发机关', en: 'issuing authority' },
  validFrom: { zh: '证件有效期起始日期', en: 'document valid-from date' },
  validTo: { zh: '证件有效期截止日期', en: 'document expiry date' },
  insured: { zh: '是否参加生育保险', en: 'maternity insurance status' },
  insuredDistrict: { zh: '生育保险参保地', en: 'insured district' },
  bankAccount: { zh: '银行账号', en: 'bank account' },
  inpatientNumber: { zh: '住院号', en: 'inpatient number' },
  birthDateTime: { zh: '出生时间', en: 'time of birth' },
  gestationalWeeks: { zh: '出生孕周', en: 'gestational age (weeks)' },
  weightG: { zh: '出生体重', en: 'birth weight' },
  lengthCm: { zh: '出生身长', en: 'birth length' },
  healthStatus: { zh: '健康状况', en: 'health status' },
  deliveryMode: { zh: '分娩方式', en: 'delivery mode' },
  attendant: { zh: '接生人员', en: 'delivery attendant' },
  plurality: { zh: '胎数', en: 'number of babies in this birth' },
  birthOrder: { zh: '出生顺序', en: 'birth order' },
  householdDistrict: { zh: '申报落户区县', en: 'declared household district' },
  householdAddress: { zh: '落户地址', en: 'household address' },
  relationshipToHouseholder: { zh: '与户主关系', en: 'relationship to the householder' },
  residenceDistrict: { zh: '居住地区县', en: 'residence district' },
  guardianName: { zh: '监护人姓名', en: "guardian's name" },
  guardianPhone: { zh: '监护人联系电话', en: "guardian's phone number" },
  method: { zh: '领取方式', en: 'delivery method' },
  pickupPoint: { zh: '领取网点', en: 'pick-up point' },
  vaccine: { zh: '疫苗', en: 'vaccine' },
  manufacturer: { zh: '生产企业', en: 'manufacturer' },
  batch: { zh: '疫苗批号', en: 'batch number' },
  givenAt: { zh: '接种时间', en: 'time given' },
  site: { zh: '接种部位', en: 'injection site' },
  nurse: { zh: '接种护士', en: 'nurse' },
  kind: { zh: '材料类型', en: 'evidence kind' },
  capture: { zh: '采集方式', en: 'capture method' },
  ref: { zh: '材料编号', en: 'evidence reference' },
  services: { zh: '申办事项', en: 'services' },
  vaccinations: { zh: '接种记录', en: 'vaccinations' },
  evidences: { zh: '证明材料', en: 'evidences' },
  mother: { zh: '母亲信息', en: "mother's details" },
  father: { zh: '父亲信息', en: "father's details" },
  child: { zh: '新生儿信息', en: "child's details" },
  declaration: { zh: '申报信息', en: 'declaration' },
  insurance: { zh: '生育保险信息', en: 'maternity insurance details' },
  cardDelivery: { zh: '市民卡领取方式', en: 'card delivery' },
  chip: { zh: '读卡信息', en: 'card-reader data' },
};

/** Plain-words label of a dot path: `mother.docNumber` → 母亲证件号码 / the mother's document number. */
export function fieldLabel(path: string): Localized {
  const parts = path.split('.').filter((p) => p !== '');
  if (parts.length === 0) return { zh: '登记信息', en: 'the registration' };
  const leafKey = [...parts].reverse().find((p) => !/^\d+$/.test(p)) ?? parts[parts.length - 1]!;
  const leaf = LEAF[leafKey] ?? { zh: leafKey, en: leafKey };
  const role = parts.length > 1 ? ROLE[parts[0]!] : undefined;
  const index = parts.find((p) => /^\d+$/.test(p));
  const nth = index !== undefined ? { zh: `第${Number(index) + 1}条`, en: ` (entry ${Number(index) + 1})` } : { zh: '', en: '' };
  if (role && parts[0] !== 'declaration') return { zh: `${role.zh}${nth.zh}${leaf.zh}`, en: `${role.en} ${leaf.en}${nth.en}` };
  return { zh: `${nth.zh}${leaf.zh}`, en: `the ${leaf.en}${nth.en}` };
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function issue(path: string, code: IssueCode, zh: string, en: string): FieldIssue {
  return { path, code, message: { zh, en } };
}

export function requiredIssue(path: string, why?: Localized): FieldIssue {
  const l = fieldLabel(path);
  return issue(
    path,
    'required',
    why ? `请填写${l.zh}（${why.zh}）` : `请填写${l.zh}`,
    why ? `Fill in ${l.en} (${why.en})` : `Fill in ${l.en}`,
  );
}

const TYPE_WORDS: Record<string, Localized> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  int: { zh: '整数', en: 'a whole number' },
  boolean: { zh: '是或否', en: 'yes or no' },
  object: { zh: '一组信息', en: 'a group of fields' },
  array: { zh: '一个列表', en: 'a list' },
};

const FORMAT_WORDS: Record<string, Localized> = {
  'YYYY-MM-DD': { zh: '日期（年-月-日，如 2026-03-14）', en: 'a date as YYYY-MM-DD (e.g. 2026-03-14)' },
  'YYYY-MM-DDTHH:mm': { zh: '日期和时间（如 2026-03-14 08:25）', en: 'a date and time as YYYY-MM-DD HH:mm (e.g. 2026-03-14 08:25)' },
  uuid: { zh: '系统生成的编号（UUID）', en: 'a system-generated id (UUID)' },
  datetime: { zh: '带时区的时间', en: 'a timestamp with time zone' },
};

const isBlank = (x: unknown): boolean => x === undefined || x === null || (typeof x === 'string' && x.trim() === '');

/** Maps one zod issue to a bilingual FieldIssue at the same (dot) path. */
export function fromZodIssue(zi: z.core.$ZodIssue, prefix = ''): FieldIssue {
  const path = [prefix, ...zi.path.map(String)].filter((p) => p !== '').join('.');
  const l = fieldLabel(path);
  const input = (zi as { input?: unknown }).input;
  switch (zi.code) {
    case 'invalid_type': {
      if (isBlank(input)) return requiredIssue(path);
      const w = TYPE_WORDS[zi.expected] ?? { zh: String(zi.expected), en: String(zi.expected) };
      return issue(path, 'type', `${l.zh}应为${w.zh}`, `${capitalise(l.en)} must be ${w.en}`);
    }
    case 'invalid_value': {
      if (isBlank(input)) return requiredIssue(path);
      const values = zi.values.map(String).join(', ');
      return issue(path, 'invalid_value', `${l.zh}不在可选范围内（可选：${values}）`, `${capitalise(l.en)} must be one of: ${values}`);
    }
    case 'invalid_format': {
      if (isBlank(input)) return requiredIssue(path);
      const key = zi.format === 'regex' ? String(zi.message).replace(/^expected /, '') : zi.format;
      const w = FORMAT_WORDS[key] ?? { zh: '正确的格式', en: 'in the expected format' };
      return issue(path, 'format', `${l.zh}格式不对，应为${w.zh}`, `${capitalise(l.en)} must be ${w.en}`);
    }
    case 'too_small': {
      if (zi.origin === 'array' && Array.isArray(input) && input.length === 0) return requiredIssue(path);
      if (zi.origin === 'string' && isBlank(input)) return requiredIssue(path);
      const min = String(zi.minimum);
      return zi.origin === 'string'
        ? issue(path, 'too_short', `${l.zh}至少${min}个字`, `${capitalise(l.en)} needs at least ${min} characters`)
        : zi.origin === 'array'
          ? issue(path, 'too_short', `${l.zh}至少${min}项`, `${capitalise(l.en)} needs at least ${min} entries`)
          : issue(path, 'range', `${l.zh}不能小于${min}`, `${capitalise(l.en)} must be at least ${min}`);
    }
    case 'too_big': {
      const max = String(zi.maximum);
      return zi.origin === 'string'
        ? issue(path, 'too_long', `${l.zh}最多${max}个字`, `${capitalise(l.en)} must be at most ${max} characters`)
        : zi.origin === 'array'
          ? issue(path, 'too_many', `${l.zh}最多${max}项`, `${capitalise(l.en)} can have at most ${max} entries`)
          : issue(path, 'range', `${l.zh}不能大于${max}`, `${capitalise(l.en)} must be at most ${max}`);
    }
    default:
      return issue(path, 'type', `${l.zh}的内容无法识别`, `${capitalise(l.en)} is not in a form the desk understands`);
  }
}

/** Collects issues and warnings; in draft mode `required` is not reported (the clerk is still typing). */
export class IssueSink {
  readonly issues: FieldIssue[] = [];
  readonly warnings: FieldIssue[] = [];
  constructor(readonly mode: 'draft' | 'submit') {}

  error(i: FieldIssue): void {
    if (this.mode === 'draft' && i.code === 'required') return;
    if (this.issues.some((x) => x.path === i.path && x.code === i.code)) return;
    this.issues.push(i);
  }

  warn(i: FieldIssue): void {
    if (this.warnings.some((x) => x.path === i.path && x.code === i.code)) return;
    this.warnings.push(i);
  }

  required(path: string, why?: Localized): void {
    this.error(requiredIssue(path, why));
  }

  /** True when an issue is already recorded at `path` or at one of its ancestors. */
  hasIssueAt(path: string): boolean {
    return this.issues.some((x) => x.path === path || path.startsWith(`${x.path}.`) || x.path === '');
  }
}
