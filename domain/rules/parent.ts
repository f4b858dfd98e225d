/** The rules of a parent's section: name, nationality, identity document, ethnicity, birth date, sex, phone, validity. */
import { DOC_TYPE_HOLDER, ETHNICITIES, SEX_CODES } from '../codes';
import { isKnownNationality } from '../countries';
import { formatYmd, parseIsoDate, ymdKey } from '../dates';
import { parseIdDocument, type ParsedIdDocument } from '../idnumber';
import { fieldLabel } from '../issues';
import { asObj, asStr, cap, checkDate, checkPhone, fail, isDocType, open, warn, type Ctx, type Loose, type ParentRole } from './context';
import { checkName, parentNameScript } from './names';

export function parentRules(ctx: Ctx, p: Loose, role: ParentRole): void {
  const at = (f: string) => `${role}.${f}`;
  const submit = ctx.opts.mode === 'submit';
  const docType = p.docType;
  const nationality = asStr(p.nationality);
  const holder = isDocType(docType) ? DOC_TYPE_HOLDER[docType] : undefined;

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
    } else if (holder === 'citizen' && nationality !== 'CHN') {
      fail(ctx, at('nationality'), 'nationality.mismatch', '持居民身份证或港澳台居民居住证者国籍应为中国（CHN）', 'A resident ID or HK/Macau/Taiwan permit holder is a Chinese citizen: nationality must be CHN');
    } else if (holder === 'foreigner' && nationality === 'CHN') {
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
