/**
 * The rules of the declaration (guardian, household, card delivery) and of the services chosen: each once,
 * and what each one needs (a named child for the household register, an insured mother for the claim, the
 * birth certificate for both, household registration for the citizen card).
 */
import { DISTRICTS, SERVICE_PHRASES, type Service } from '../codes';
import type { Localized } from '../idnumber';
import { asObj, asStr, cap, checkPhone, fail, isDistrict, open, type Ctx, type Loose } from './context';
import { checkName } from './names';

const DISTRICT_LIST = Object.entries(DISTRICTS).map(([c, n]) => `${c} ${n.zh}`).join('、');
const has = (services: Service[], s: Service) => services.includes(s);

export function declarationRules(ctx: Ctx, decl: Loose | undefined): void {
  const submit = ctx.opts.mode === 'submit';
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
}

/** The services of the bundle, against the sections they need. */
export function serviceRules(ctx: Ctx, reg: Loose, services: Service[]): void {
  const mother = asObj(reg.mother);
  const father = asObj(reg.father);
  const child = asObj(reg.child);
  const decl = asObj(reg.declaration);
  // services: unique, and what each chosen one needs
  if (open(ctx, 'services')) {
    const dup = services.find((s, i) => services.indexOf(s) !== i);
    if (dup) fail(ctx, 'services', 'services.duplicate', '申办事项有重复', 'A service is chosen twice');
  }
  const why = (s: Service): Localized => ({ zh: `办理${SERVICE_PHRASES[s].zh}需要`, en: `needed for ${SERVICE_PHRASES[s].en}` });
  if (has(services, 'household_registration')) {
    if (child && asStr(child.name) === undefined && open(ctx, 'child.name')) ctx.sink.required('child.name', why('household_registration'));
    if (child && (child.sex === '0' || child.sex === '9') && open(ctx, 'child.sex')) {
      fail(ctx, 'child.sex', 'household.child_sex', '出生户口登记需要明确的性别（男或女），身份证号码按性别编排', 'Household registration needs the sex as male or female: the ID number encodes it');
    }
    if (decl && !isDistrict(decl.householdDistrict) && open(ctx, 'declaration.householdDistrict')) {
      ctx.sink.required('declaration.householdDistrict', { zh: `办理出生户口登记需要，可选：${DISTRICT_LIST}`, en: 'needed for household registration: one of the 12 Wenzhou district codes' });
    }
    if (decl && asStr(decl.householdAddress) === undefined && open(ctx, 'declaration.householdAddress')) ctx.sink.required('declaration.householdAddress', why('household_registration'));
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
      ctx.sink.required('mother.insurance.insuredDistrict', why('maternity_insurance'));
    }
    if (!has(services, 'birth_certificate')) needsBirthCertificate(ctx, 'maternity_insurance');
  }
  if (has(services, 'citizen_card')) {
    if (!has(services, 'household_registration') && open(ctx, 'services')) {
      fail(ctx, 'services', 'bundle.citizen_card_needs_household', '市民卡需要孩子的身份证号码：请同时办理出生户口登记', "The citizen card needs the child's ID number: choose household registration in the same bundle");
    }
    const delivery = asObj(decl?.cardDelivery);
    if (delivery?.method === 'post' && asStr(delivery.address) === undefined && open(ctx, 'declaration.cardDelivery.address')) {
      ctx.sink.required('declaration.cardDelivery.address', { zh: '邮寄市民卡需要', en: 'needed to post the card' });
    }
    if (delivery?.method === 'pickup' && asStr(delivery.pickupPoint) === undefined && open(ctx, 'declaration.cardDelivery.pickupPoint')) {
      ctx.sink.required('declaration.cardDelivery.pickupPoint', { zh: '到网点领取市民卡需要', en: 'needed to pick the card up' });
    }
  }
}

function needsBirthCertificate(ctx: Ctx, s: Service): void {
  if (!open(ctx, 'services')) return;
  fail(
    ctx,
    'services',
    'bundle.needs_birth_certificate',
    `${SERVICE_PHRASES[s].zh}需要出生医学证明编号：请同时办理出生医学证明`,
    `${cap(SERVICE_PHRASES[s].en)} needs the birth certificate number: choose the birth certificate in the same bundle`,
  );
}
