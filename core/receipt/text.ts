/**
 * The receipt's words, apart from drawing: dates as the family reads them, masked numbers, what a request
 * still waits for, the family rows, and the footer's promise and next steps. Nothing here knows pdfkit.
 */
import {
  CAPTURE_LABELS,
  DISTRICTS,
  DOC_TYPE_LABELS,
  EVIDENCE_LABELS,
  FINAL_STATES,
  ISSUED_LABELS,
  SEX_LABELS,
  type RequestState,
} from '../../domain/codes';
import { deskLocal, parseIsoMinute } from '../../domain/dates';
import { maskIdNumber } from '../../domain/idnumber';
import { maskPhone } from '../../domain/phone';
import type { Registration, ServiceRequest } from '../../domain/types';
import { UNNAMED, type Bi } from './labels';

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function formatBirth(s: string): string {
  const v = parseIsoMinute(s);
  return v ? `${v.y}年${v.m}月${v.d}日 ${pad2(v.hh)}:${pad2(v.mm)}` : s;
}

export function formatNow(now: Date): string {
  const v = deskLocal(now);
  return `${v.y}-${pad2(v.m)}-${pad2(v.d)} ${pad2(v.hh)}:${pad2(v.mm)}`;
}

export const district = (code: string): Bi => DISTRICTS[code as keyof typeof DISTRICTS] ?? { zh: code, en: code };

/** A number the city issued, as the receipt may print it: the child's citizen ID number is masked like any ID. */
export function issuedNumber(q: ServiceRequest): string | null {
  if (q.documentNumber == null || q.documentNumber === '') return null;
  return q.service === 'household_registration' ? maskIdNumber(q.documentNumber) : q.documentNumber;
}

/** What a request still waits for: the documents of the requests it depends on that have not been issued. */
export function waitingFor(q: ServiceRequest, all: ServiceRequest[]): Bi[] {
  if (FINAL_STATES.includes(q.state)) return [];
  return q.dependsOn
    .filter((dep) => {
      const d = all.find((x) => x.service === dep);
      return !d || d.documentNumber == null;
    })
    .map((dep) => ({ zh: `待${ISSUED_LABELS[dep].zh}`, en: `awaiting ${ISSUED_LABELS[dep].en}` }));
}

/** States the clerk or the family must act on: shown in the warning colour, with the city's reason. */
export const needsAction = (state: RequestState): boolean => state === 'rejected' || state === 'needs_info' || state === 'held';

/** One labelled value of the family section; `muted` for a stand-in (not named, not recorded). */
export interface FamilyCell {
  label: Bi;
  value: string;
  sub?: string;
  muted?: boolean;
  span?: number;
}

/** The family and newborn: one row per person, a fourth for the declaration. */
export function familyRows(reg: Registration): Array<{ title: Bi; cells: FamilyCell[] }> {
  const { child, mother, father, declaration: decl } = reg;
  const childName = child.name?.trim() ? child.name.trim() : null;
  const sex = SEX_LABELS[child.sex];
  const hh = decl.householdDistrict ? district(decl.householdDistrict) : null;
  const delivery =
    decl.cardDelivery.method === 'post'
      ? { zh: '邮寄到家', en: 'by post' }
      : { zh: `自取${decl.cardDelivery.pickupPoint ? `：${decl.cardDelivery.pickupPoint}` : ''}`, en: 'pick-up' };
  const insured =
    mother.insurance.insured && mother.insurance.insuredDistrict
      ? `${district(mother.insurance.insuredDistrict).zh}  ${district(mother.insurance.insuredDistrict).en}`
      : mother.insurance.insured
        ? '已参保  insured'
        : '未参保  not insured';
  const name = (v: string): FamilyCell => ({ label: { zh: '姓名', en: 'Name' }, value: v });
  const doc = (p: { docType: keyof typeof DOC_TYPE_LABELS; docNumber: string }): FamilyCell => ({
    label: DOC_TYPE_LABELS[p.docType],
    value: maskIdNumber(p.docNumber),
  });
  return [
    {
      title: { zh: '新生儿', en: 'Newborn' },
      cells: [
        childName ? name(childName) : { ...name(UNNAMED.zh), sub: UNNAMED.en, muted: true },
        { label: { zh: '性别', en: 'Sex' }, value: `${sex.zh}  ${sex.en}` },
        { label: { zh: '出生时间', en: 'Born' }, value: formatBirth(child.birthDateTime) },
        { label: { zh: '体重 / 身长', en: 'Weight / length' }, value: `${child.weightG} g / ${child.lengthCm} cm` },
      ],
    },
    {
      title: { zh: '母亲', en: 'Mother' },
      cells: [name(mother.name), doc(mother), { label: { zh: '生育保险参保地', en: 'Insured in' }, value: insured }],
    },
    {
      title: { zh: '父亲', en: 'Father' },
      cells: father ? [name(father.name), doc(father)] : [{ ...name('未登记'), sub: 'not recorded', muted: true }],
    },
    {
      title: { zh: '申报', en: 'Declared' },
      cells: [
        { label: { zh: '落户地区', en: 'Hukou district' }, value: hh ? `${hh.zh}  ${hh.en}` : '本次未申报', ...(hh ? {} : { sub: 'not filed' }) },
        { label: { zh: '监护人 / 电话', en: 'Guardian / phone' }, value: `${decl.guardianName}  ${maskPhone(decl.guardianPhone)}` },
        { label: { zh: '市民卡领取方式', en: 'Citizen card delivery' }, value: `${delivery.zh}  ${delivery.en}`, span: 2 },
      ],
    },
  ];
}

/** Each evidence: what it is and how it was captured. */
export const evidenceText = (reg: Registration): Array<{ kind: Bi; cap: Bi }> =>
  reg.evidences.map((e) => ({ kind: EVIDENCE_LABELS[e.kind], cap: CAPTURE_LABELS[e.capture] }));

export const PROMISE: Bi = {
  zh: '材料齐全的，以上事项自受理起 2 小时内办结；标“待…”者在所需证件号签发后自动接续办理。',
  en: 'Complete applications are processed within 2 hours of acceptance; items marked "awaiting" follow by themselves once the number they need is issued.',
};

/** What the family does next: keep the receipt, fetch or wait for the card, come back if something is asked. */
export function nextSteps(reg: Registration, requests: ServiceRequest[]): Bi[] {
  const decl = reg.declaration;
  const steps: Bi[] = [
    {
      zh: '请妥善保管本回执；扫描右上角二维码或凭联办编号可随时查询办理进度。',
      en: 'Keep this receipt. Scan the QR code (top right) or quote the bundle ID to follow progress.',
    },
  ];
  if (requests.some((q) => q.service === 'citizen_card')) {
    steps.push(
      decl.cardDelivery.method === 'post'
        ? { zh: '市民卡制成后将邮寄到登记的地址，无需再跑。', en: 'The citizen card will be posted to the address you gave; no need to come back.' }
        : {
            zh: `市民卡制成后请凭本回执到${decl.cardDelivery.pickupPoint ?? '指定网点'}领取。`,
            en: 'When the citizen card is ready, collect it at the pick-up point with this receipt.',
          },
    );
  }
  steps.push({
    zh: '如状态显示“需补充材料”或“未通过”，请携带本回执回到本院登记窗口。',
    en: 'If a status reads "more information needed" or "rejected", bring this receipt back to this desk.',
  });
  return steps;
}
