/**
 * The 37 maternity hospitals of Wenzhou served by Newborn Desk: desk hospital code, name and the district the
 * hospital sits in (which routes its birth certificates and first vaccinations).
 *
 * Names are the hospitals' public names as far as we know them; the authoritative list (with the health
 * commission's institution codes) comes with deployment, so treat this table as the training-mode default.
 */
import { DISTRICTS, type DistrictCode } from './codes';

export interface Hospital {
  code: string;
  zh: string;
  en: string;
  district: DistrictCode;
}

export const HOSPITALS: readonly Hospital[] = [
  { code: 'WZ01', zh: '温州医科大学附属第一医院', en: 'First Affiliated Hospital of Wenzhou Medical University', district: '330304' },
  { code: 'WZ02', zh: '温州医科大学附属第二医院（育英儿童医院）', en: 'Second Affiliated Hospital (Yuying Children\'s Hospital) of Wenzhou Medical University', district: '330302' },
  { code: 'WZ03', zh: '温州市人民医院（温州市妇女儿童医院）', en: "Wenzhou People's Hospital (Wenzhou Women and Children's Hospital)", district: '330302' },
  { code: 'WZ04', zh: '温州市中心医院', en: 'Wenzhou Central Hospital', district: '330302' },
  { code: 'WZ05', zh: '温州市中西医结合医院', en: 'Wenzhou Hospital of Integrated Traditional Chinese and Western Medicine', district: '330302' },
  { code: 'WZ06', zh: '温州市中医院', en: 'Wenzhou Hospital of Traditional Chinese Medicine', district: '330302' },
  { code: 'WZ07', zh: '温州市第三人民医院', en: "Wenzhou Third People's Hospital", district: '330302' },
  { code: 'WZ08', zh: '温州和平国际医院', en: 'Wenzhou Peace International Hospital', district: '330302' },
  { code: 'WZ09', zh: '温州市瓯海区人民医院', en: "Ouhai District People's Hospital", district: '330304' },
  { code: 'WZ10', zh: '温州市瓯海区第三人民医院', en: "Ouhai District Third People's Hospital", district: '330304' },
  { code: 'WZ11', zh: '温州市龙湾区第一人民医院', en: "Longwan District First People's Hospital", district: '330303' },
  { code: 'WZ12', zh: '温州市龙湾区第二人民医院', en: "Longwan District Second People's Hospital", district: '330303' },
  { code: 'WZ13', zh: '温州市洞头区人民医院', en: "Dongtou District People's Hospital", district: '330305' },
  { code: 'WZ14', zh: '永嘉县人民医院', en: "Yongjia County People's Hospital", district: '330324' },
  { code: 'WZ15', zh: '永嘉县中医医院', en: 'Yongjia County Hospital of Traditional Chinese Medicine', district: '330324' },
  { code: 'WZ16', zh: '永嘉县妇幼保健院', en: 'Yongjia County Maternal and Child Health Hospital', district: '330324' },
  { code: 'WZ17', zh: '平阳县人民医院', en: "Pingyang County People's Hospital", district: '330326' },
  { code: 'WZ18', zh: '平阳县中医院', en: 'Pingyang County Hospital of Traditional Chinese Medicine', district: '330326' },
  { code: 'WZ19', zh: '平阳县第二人民医院', en: "Pingyang County Second People's Hospital", district: '330326' },
  { code: 'WZ20', zh: '平阳县妇幼保健院', en: 'Pingyang County Maternal and Child Health Hospital', district: '330326' },
  { code: 'WZ21', zh: '苍南县人民医院', en: "Cangnan County People's Hospital", district: '330327' },
  { code: 'WZ22', zh: '苍南县中医院', en: 'Cangnan County Hospital of Traditional Chinese Medicine', district: '330327' },
  { code: 'WZ23', zh: '苍南县第三人民医院', en: "Cangnan County Third People's Hospital", district: '330327' },
  { code: 'WZ24', zh: '苍南县妇幼保健院', en: 'Cangnan County Maternal and Child Health Hospital', district: '330327' },
  { code: 'WZ25', zh: '文成县人民医院', en: "Wencheng County People's Hospital", district: '330328' },
  { code: 'WZ26', zh: '泰顺县人民医院', en: "Taishun County People's Hospital", district: '330329' },
  { code: 'WZ27', zh: '瑞安市人民医院', en: "Rui'an People's Hospital", district: '330381' },
  { code: 'WZ28', zh: '瑞安市中医院', en: "Rui'an Hospital of Traditional Chinese Medicine", district: '330381' },
  { code: 'WZ29', zh: '瑞安市妇幼保健院', en: "Rui'an Maternal and Child Health Hospital", district: '330381' },
  { code: 'WZ30', zh: '瑞安市第三人民医院', en: "Rui'an Third People's Hospital", district: '330381' },
  { code: 'WZ31', zh: '乐清市人民医院', en: "Yueqing People's Hospital", district: '330382' },
  { code: 'WZ32', zh: '乐清市第二人民医院', en: "Yueqing Second People's Hospital", district: '330382' },
  { code: 'WZ33', zh: '乐清市第三人民医院', en: "Yueqing Third People's Hospital", district: '330382' },
  { code: 'WZ34', zh: '乐清市妇幼保健院', en: 'Yueqing Maternal and Child Health Hospital', district: '330382' },
  { code: 'WZ35', zh: '乐清市中医院', en: 'Yueqing Hospital of Traditional Chinese Medicine', district: '330382' },
  { code: 'WZ36', zh: '龙港市人民医院', en: "Longgang People's Hospital", district: '330383' },
  { code: 'WZ37', zh: '龙港市中医院', en: 'Longgang Hospital of Traditional Chinese Medicine', district: '330383' },
];

const BY_CODE = new Map(HOSPITALS.map((h) => [h.code, h]));

export const HOSPITAL_CODES = HOSPITALS.map((h) => h.code) as [string, ...string[]];

/** The hospital with this desk code, or null. */
export function getHospital(code: unknown): Hospital | null {
  return typeof code === 'string' ? (BY_CODE.get(code.trim().toUpperCase()) ?? null) : null;
}

/** The district a hospital sits in (routes its birth certificates and first vaccinations), or null. */
export function hospitalDistrict(code: unknown): DistrictCode | null {
  return getHospital(code)?.district ?? null;
}

/** `温州市人民医院（鹿城区）` — name and district for receipts. */
export function hospitalLabel(code: unknown): { zh: string; en: string } | null {
  const h = getHospital(code);
  if (!h) return null;
  return { zh: `${h.zh}（${DISTRICTS[h.district].zh}）`, en: `${h.en} (${DISTRICTS[h.district].en})` };
}
