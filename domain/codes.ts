/**
 * Code tables the domain uses: GB/T 2261.1 sex, GB/T 3304 ethnicity, the 12 district codes of Wenzhou,
 * the five services, the request states and the evidences of the reform.
 */

export const SEX_CODES = ['0', '1', '2', '9'] as const;
export type SexCode = (typeof SEX_CODES)[number];
export const SEX_LABELS: Record<SexCode, { zh: string; en: string }> = {
  '0': { zh: '未知的性别', en: 'unknown' },
  '1': { zh: '男', en: 'male' },
  '2': { zh: '女', en: 'female' },
  '9': { zh: '未说明的性别', en: 'unstated' },
};

/** GB/T 3304 ethnicity codes. */
export const ETHNICITIES: Record<string, string> = {
  '01': '汉', '02': '蒙古', '03': '回', '04': '藏', '05': '维吾尔', '06': '苗', '07': '彝', '08': '壮',
  '09': '布依', '10': '朝鲜', '11': '满', '12': '侗', '13': '瑶', '14': '白', '15': '土家', '16': '哈尼',
  '17': '哈萨克', '18': '傣', '19': '黎', '20': '傈僳', '21': '佤', '22': '畲', '23': '高山', '24': '拉祜',
  '25': '水', '26': '东乡', '27': '纳西', '28': '景颇', '29': '柯尔克孜', '30': '土', '31': '达斡尔',
  '32': '仫佬', '33': '羌', '34': '布朗', '35': '撒拉', '36': '毛南', '37': '仡佬', '38': '锡伯', '39': '阿昌',
  '40': '普米', '41': '塔吉克', '42': '怒', '43': '乌孜别克', '44': '俄罗斯', '45': '鄂温克', '46': '德昂',
  '47': '保安', '48': '裕固', '49': '京', '50': '塔塔尔', '51': '独龙', '52': '鄂伦春', '53': '赫哲',
  '54': '门巴', '55': '珞巴', '56': '基诺', '97': '其他', '98': '外国血统中国籍人士',
};
export const ETHNICITY_CODES = Object.keys(ETHNICITIES) as [string, ...string[]];

/** The 12 county-level districts of Wenzhou whose household registers a child may join. */
export const DISTRICTS = {
  '330302': { zh: '鹿城区', en: 'Lucheng' },
  '330303': { zh: '龙湾区', en: 'Longwan' },
  '330304': { zh: '瓯海区', en: 'Ouhai' },
  '330305': { zh: '洞头区', en: 'Dongtou' },
  '330324': { zh: '永嘉县', en: 'Yongjia' },
  '330326': { zh: '平阳县', en: 'Pingyang' },
  '330327': { zh: '苍南县', en: 'Cangnan' },
  '330328': { zh: '文成县', en: 'Wencheng' },
  '330329': { zh: '泰顺县', en: 'Taishun' },
  '330381': { zh: '瑞安市', en: "Rui'an" },
  '330382': { zh: '乐清市', en: 'Yueqing' },
  '330383': { zh: '龙港市', en: 'Longgang' },
} as const;
export type DistrictCode = keyof typeof DISTRICTS;
export const DISTRICT_CODES = Object.keys(DISTRICTS) as [DistrictCode, ...DistrictCode[]];

/** The five requests a newborn needs; each becomes one ServiceRequest. */
export const SERVICES = [
  'birth_certificate',
  'vaccination',
  'maternity_insurance',
  'household_registration',
  'citizen_card',
] as const;
export type Service = (typeof SERVICES)[number];
export const SERVICE_LABELS: Record<Service, { zh: string; en: string }> = {
  birth_certificate: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
  vaccination: { zh: '预防接种登记', en: 'Vaccination registration' },
  maternity_insurance: { zh: '生育保险待遇申领', en: 'Maternity insurance claim' },
  household_registration: { zh: '出生户口登记', en: 'Household registration' },
  citizen_card: { zh: '市民卡（社保卡）', en: 'Citizen (social-insurance) card' },
};

/**
 * Local request states. Status never moves backwards: RANK gives the order; `held` is a side state a
 * clerk must act on (a permanent error), reachable from queued/sending only.
 */
export const REQUEST_STATES = [
  'queued',
  'sending',
  'accepted',
  'in_review',
  'approved',
  'issued',
  'rejected',
  'needs_info',
  'held',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export const FINAL_STATES: readonly RequestState[] = ['approved', 'issued', 'rejected'];
export const STATE_RANK: Record<RequestState, number> = {
  queued: 0,
  held: 1,
  sending: 1,
  accepted: 2,
  in_review: 3,
  needs_info: 4,
  approved: 5,
  issued: 5,
  rejected: 5,
};

/** Identity documents a parent may present. */
export const DOC_TYPES = ['resident_id', 'hmt_permit', 'foreign_permanent', 'passport'] as const;
export type DocType = (typeof DOC_TYPES)[number];

/** The five evidences the reform still asks of a family (down from 29). */
export const EVIDENCE_KINDS = [
  'mother_id',
  'father_id',
  'marriage_certificate',
  'household_booklet',
  'mother_wristband',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_LABELS: Record<EvidenceKind, { zh: string; en: string }> = {
  mother_id: { zh: '母亲身份证件', en: "Mother's identity document" },
  father_id: { zh: '父亲身份证件', en: "Father's identity document" },
  marriage_certificate: { zh: '结婚证', en: 'Marriage certificate' },
  household_booklet: { zh: '户口簿', en: 'Household register booklet' },
  mother_wristband: { zh: '母亲住院腕带', en: "Mother's inpatient wristband" },
};
export const CAPTURE_METHODS = ['id_reader', 'scan', 'manual'] as const;
export type CaptureMethod = (typeof CAPTURE_METHODS)[number];

export const DELIVERY_MODES = ['vaginal', 'assisted', 'caesarean'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const HEALTH_STATUSES = ['good', 'fair', 'poor'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
