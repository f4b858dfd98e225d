/**
 * Words the receipt prints, in Chinese first with English. Codes' own labels (services, districts,
 * evidences, sex) come from `domain/codes`; these are the ones only a receipt needs.
 */
import type { CaptureMethod, DocType, RequestState, Service } from '../../domain/codes';

export interface Bi {
  zh: string;
  en: string;
}

export const STATE_LABELS: Record<RequestState, Bi> = {
  queued: { zh: '已登记，待提交', en: 'Queued' },
  sending: { zh: '提交中', en: 'Sending' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_review: { zh: '审核中', en: 'In review' },
  approved: { zh: '已办结', en: 'Approved' },
  issued: { zh: '已签发', en: 'Issued' },
  rejected: { zh: '未通过', en: 'Rejected' },
  needs_info: { zh: '需补充材料', en: 'More information needed' },
  held: { zh: '待窗口处理', en: 'Held at the desk' },
};

/** What each service's city department returns: the number the receipt shows as pending until it arrives. */
export const ISSUED_LABELS: Record<Service, Bi> = {
  birth_certificate: { zh: '出生医学证明号', en: 'birth certificate no.' },
  vaccination: { zh: '预防接种档案号', en: 'vaccination record no.' },
  maternity_insurance: { zh: '生育保险审核结果', en: 'claim decision' },
  household_registration: { zh: '公民身份号码', en: "child's citizen ID no." },
  citizen_card: { zh: '市民卡号', en: 'citizen card no.' },
};

export const CAPTURE_LABELS: Record<CaptureMethod, Bi> = {
  id_reader: { zh: '读卡器读取', en: 'card reader' },
  scan: { zh: '扫码', en: 'scanned' },
  manual: { zh: '人工核验', en: 'by the clerk' },
};

export const DOC_TYPE_LABELS: Record<DocType, Bi> = {
  resident_id: { zh: '居民身份证', en: 'Resident ID' },
  hmt_permit: { zh: '港澳台居民居住证', en: 'HK/Macau/Taiwan residence permit' },
  foreign_permanent: { zh: '外国人永久居留身份证', en: 'Foreign permanent residence ID' },
  passport: { zh: '护照', en: 'Passport' },
};

export const PENDING: Bi = { zh: '待签发', en: 'pending' };
export const UNNAMED: Bi = { zh: '未取名', en: 'not yet named' };
