/**
 * Code tables the domain uses, each fact once: GB/T 2261.1 sex, GB/T 3304 ethnicity, the 12 district codes
 * of Wenzhou, the five services (with their labels and what the city returns for each), the request states
 * in their one order (and the city's statuses, mapped onto them), the identity documents and the evidences of
 * the reform. Each table is keyed by code: the list of codes is the table's keys, in the order written here.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

/** The codes of a table, in the order written (as the non-empty tuple `z.enum` takes). */
const codesOf = <K extends string>(table: Record<K, unknown>): readonly [K, ...K[]] => Object.keys(table) as [K, ...K[]];
/** One field of every row of a table. */
const column = <K extends string, R, F extends keyof R>(table: Record<K, R>, field: F): Record<K, R[F]> =>
  Object.fromEntries(Object.entries<R>(table).map(([k, row]) => [k, row[field]])) as Record<K, R[F]>;

export const SEX_LABELS = {
  '0': { zh: '未知的性别', en: 'unknown' },
  '1': { zh: '男', en: 'male' },
  '2': { zh: '女', en: 'female' },
  '9': { zh: '未说明的性别', en: 'unstated' },
} as const satisfies Record<string, Bilingual>;
export type SexCode = keyof typeof SEX_LABELS;
export const SEX_CODES = codesOf(SEX_LABELS);

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
/** The codes in code order, 01 汉 first (a plain `Object.keys` puts the integer-like keys 10–56 before 01–09). */
export const ETHNICITY_CODES = Object.keys(ETHNICITIES).sort() as [string, ...string[]];

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
export const DISTRICT_CODES = codesOf(DISTRICTS);

/**
 * The five requests a newborn needs, in bundle order; each becomes one ServiceRequest. `label` is the
 * service's name, `phrase` the same inside a sentence ("needed for …"), `issued` what the city returns.
 */
const SERVICE_TABLE = {
  birth_certificate: {
    label: { zh: '出生医学证明', en: 'Medical Certificate of Birth' },
    phrase: { zh: '出生医学证明', en: 'the birth certificate' },
    issued: { zh: '出生医学证明号', en: 'birth certificate no.' },
  },
  vaccination: {
    label: { zh: '预防接种登记', en: 'Vaccination registration' },
    phrase: { zh: '预防接种登记', en: 'vaccination registration' },
    issued: { zh: '预防接种档案号', en: 'vaccination record no.' },
  },
  maternity_insurance: {
    label: { zh: '生育保险待遇申领', en: 'Maternity insurance claim' },
    phrase: { zh: '生育保险待遇申领', en: 'the maternity insurance claim' },
    issued: { zh: '生育保险审核结果', en: 'claim decision' },
  },
  household_registration: {
    label: { zh: '出生户口登记', en: 'Household registration' },
    phrase: { zh: '出生户口登记', en: 'household registration' },
    issued: { zh: '公民身份号码', en: "child's citizen ID no." },
  },
  citizen_card: {
    label: { zh: '市民卡（社保卡）', en: 'Citizen (social-insurance) card' },
    phrase: { zh: '市民卡', en: 'the citizen card' },
    issued: { zh: '市民卡号', en: 'citizen card no.' },
  },
} as const satisfies Record<string, { label: Bilingual; phrase: Bilingual; issued: Bilingual }>;
export type Service = keyof typeof SERVICE_TABLE;
export const SERVICES = codesOf(SERVICE_TABLE);
export const SERVICE_LABELS: Record<Service, Bilingual> = column(SERVICE_TABLE, 'label');
export const SERVICE_PHRASES: Record<Service, Bilingual> = column(SERVICE_TABLE, 'phrase');
/** What each service's city department returns: the number a receipt shows as pending until it arrives. */
export const ISSUED_LABELS: Record<Service, Bilingual> = column(SERVICE_TABLE, 'issued');

/**
 * Local request states, with the one order of progress: `rank` never goes down (status never moves
 * backwards); states of one rank are parallel (`held`, a side state a clerk must act on, beside `sending`)
 * or final. `final` states are the end of the city's work; `needs_info` is not final here: the clerk amends
 * and the request goes back to the queue.
 */
const STATE_TABLE = {
  queued: { rank: 0, final: false, label: { zh: '已登记，待提交', en: 'Queued' } },
  sending: { rank: 1, final: false, label: { zh: '提交中', en: 'Sending' } },
  accepted: { rank: 2, final: false, label: { zh: '已受理', en: 'Accepted' } },
  in_review: { rank: 3, final: false, label: { zh: '审核中', en: 'In review' } },
  approved: { rank: 5, final: true, label: { zh: '已批准', en: 'Approved' } },
  issued: { rank: 5, final: true, label: { zh: '已签发', en: 'Issued' } },
  rejected: { rank: 5, final: true, label: { zh: '未通过', en: 'Rejected' } },
  needs_info: { rank: 4, final: false, label: { zh: '需补充材料', en: 'More information needed' } },
  held: { rank: 1, final: false, label: { zh: '待窗口处理', en: 'Held at the desk' } },
} as const satisfies Record<string, { rank: number; final: boolean; label: Bilingual }>;
export type RequestState = keyof typeof STATE_TABLE;
export const REQUEST_STATES = codesOf(STATE_TABLE);
export const STATE_RANK: Record<RequestState, number> = column(STATE_TABLE, 'rank');
export const FINAL_STATES: readonly RequestState[] = REQUEST_STATES.filter((s) => STATE_TABLE[s].final);
/** True when `to` is further along than `from`: a higher rank, or approved → issued (the one step within a rank). */
export const advances = (from: RequestState, to: RequestState): boolean =>
  STATE_RANK[to] > STATE_RANK[from] || (from === 'approved' && to === 'issued');
/** How a receipt names each state. */
export const STATE_LABELS: Record<RequestState, Bilingual> = column(STATE_TABLE, 'label');

/**
 * The city API's statuses and the local state each one means. The city's order is the local one, seen from
 * the city: a status the city closes the request with (`final` — there, `needs_info` too: a correction
 * arrives as a new revision) ranks above every open one.
 */
const SERVER_STATUS_TABLE = {
  received: { local: 'accepted', final: false },
  in_review: { local: 'in_review', final: false },
  approved: { local: 'approved', final: true },
  issued: { local: 'issued', final: true },
  rejected: { local: 'rejected', final: true },
  needs_info: { local: 'needs_info', final: true },
} as const satisfies Record<string, { local: RequestState; final: boolean }>;
export type ServerStatus = keyof typeof SERVER_STATUS_TABLE;
export const SERVER_STATUSES = codesOf(SERVER_STATUS_TABLE);
/** The local state each city status means. */
export const SERVER_TO_LOCAL: Record<ServerStatus, RequestState> = column(SERVER_STATUS_TABLE, 'local');
export const FINAL_SERVER_STATUSES: readonly ServerStatus[] = SERVER_STATUSES.filter((s) => SERVER_STATUS_TABLE[s].final);
const TOP_RANK = Math.max(...Object.values(STATE_RANK));
/** The city's rank of a status, derived from the local order: a status update on the city's side never lowers it. */
export const SERVER_STATUS_RANK: Record<ServerStatus, number> = Object.fromEntries(
  SERVER_STATUSES.map((s) => [s, SERVER_STATUS_TABLE[s].final ? TOP_RANK : STATE_RANK[SERVER_TO_LOCAL[s]]]),
) as Record<ServerStatus, number>;

/**
 * Identity documents a parent may present, and the nationality each implies: a Chinese citizen's (`CHN`),
 * a foreigner's (anything but `CHN`), or either (a passport says which).
 */
const DOC_TYPE_TABLE = {
  resident_id: { label: { zh: '居民身份证', en: 'Resident ID' }, holder: 'citizen' },
  hmt_permit: { label: { zh: '港澳台居民居住证', en: 'HK/Macau/Taiwan residence permit' }, holder: 'citizen' },
  foreign_permanent: { label: { zh: '外国人永久居留身份证', en: 'Foreign permanent residence ID' }, holder: 'foreigner' },
  passport: { label: { zh: '护照', en: 'Passport' }, holder: 'either' },
} as const satisfies Record<string, { label: Bilingual; holder: 'citizen' | 'foreigner' | 'either' }>;
export type DocType = keyof typeof DOC_TYPE_TABLE;
export const DOC_TYPES = codesOf(DOC_TYPE_TABLE);
export const DOC_TYPE_LABELS: Record<DocType, Bilingual> = column(DOC_TYPE_TABLE, 'label');
export const DOC_TYPE_HOLDER: Record<DocType, 'citizen' | 'foreigner' | 'either'> = column(DOC_TYPE_TABLE, 'holder');

/** The five evidences the reform still asks of a family (down from 29). */
export const EVIDENCE_LABELS = {
  mother_id: { zh: '母亲身份证件', en: "Mother's identity document" },
  father_id: { zh: '父亲身份证件', en: "Father's identity document" },
  marriage_certificate: { zh: '结婚证', en: 'Marriage certificate' },
  household_booklet: { zh: '户口簿', en: 'Household register booklet' },
  mother_wristband: { zh: '母亲住院腕带', en: "Mother's inpatient wristband" },
} as const satisfies Record<string, Bilingual>;
export type EvidenceKind = keyof typeof EVIDENCE_LABELS;
export const EVIDENCE_KINDS = codesOf(EVIDENCE_LABELS);

/** How an evidence was captured, and how a receipt says it. */
export const CAPTURE_LABELS = {
  id_reader: { zh: '读卡器读取', en: 'card reader' },
  scan: { zh: '扫码', en: 'scanned' },
  manual: { zh: '人工核验', en: 'by the clerk' },
} as const satisfies Record<string, Bilingual>;
export type CaptureMethod = keyof typeof CAPTURE_LABELS;
export const CAPTURE_METHODS = codesOf(CAPTURE_LABELS);

export const DELIVERY_MODES = ['vaginal', 'assisted', 'caesarean'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const HEALTH_STATUSES = ['good', 'fair', 'poor'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
