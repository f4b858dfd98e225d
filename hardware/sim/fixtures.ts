/**
 * Realistic, invented card holders for the simulator, training mode and tests: Wenzhou addresses, valid
 * 18-digit numbers (MOD 11-2), a mother, a father, a 畲 mother from Taishun, a father whose card no longer
 * expires, a Hong Kong permit holder, and two foreigners (2017 and 2023 cards). Nobody here exists.
 */
import type { Parent } from '../../domain/types';
import { withCheckChar, withIcaoCheckDigit } from '../../domain/idnumber';
import { PERMANENT, type CardText } from '../idcard/text';
import { defaultPhoto, type SimulatedCard } from './idreader';

type ResidentFields = Pick<CardText, 'name' | 'address' | 'authority' | 'validFrom' | 'validTo'> & { ethnicity?: string };

/** A resident ID card: birth date and sex are the ones its number encodes (digits 7–14, and 17: odd = male). */
function resident(first17: string, fields: ResidentFields): CardText {
  const { name, ethnicity = '01', address, authority, validFrom, validTo } = fields;
  const sex = Number(first17[16]) % 2 === 1 ? '1' : '2';
  return { cardType: 'resident', name, sex, ethnicity, birthDate: first17.slice(6, 14), address, idNumber: withCheckChar(first17)!, authority, validFrom, validTo };
}

export const mother = resident('33030219930415002', { name: '林晓燕', address: '浙江省温州市鹿城区五马街道解放街128号', authority: '温州市公安局鹿城分局', validFrom: '20150610', validTo: '20350610' });
export const father = resident('33030419900822001', { name: '陈志强', address: '浙江省温州市瓯海区娄桥街道古岸头村三组45号', authority: '温州市公安局瓯海分局', validFrom: '20120301', validTo: '20320301' });
export const sheMother = resident('33032919951103004', { name: '雷美兰', ethnicity: '22', address: '浙江省温州市泰顺县罗阳镇城东路16号', authority: '泰顺县公安局', validFrom: '20130520', validTo: '20230520' });
/** A name with a middle dot (a Uyghur mother living in Wenzhou): the reader keeps the dot, the form and search must too. */
export const middleDotMother = resident('33030419960203004', { name: '阿依古丽·买买提', ethnicity: '05', address: '浙江省温州市瓯海区新桥街道金竹路6号', authority: '温州市公安局瓯海分局', validFrom: '20180201', validTo: '20380201' });
export const olderFather = resident('33038219780910003', { name: '郑建国', address: '浙江省温州市乐清市柳市镇长虹路88号', authority: '乐清市公安局', validFrom: '20240911', validTo: PERMANENT });

export const hkMother: CardText = {
  cardType: 'hmt',
  name: '黄嘉欣',
  sex: '2',
  birthDate: '19920708',
  address: '香港特别行政区',
  idNumber: withCheckChar('81000019920708002')!,
  authority: '温州市公安局',
  validFrom: '20210315',
  validTo: '20260314',
  passNumber: 'H60123456',
  issueCount: '01',
};

/** 2023 foreigner's permanent residence card (number: 9, nationality code, region, birth date, sequence: even = female). */
export const foreignMother: CardText = {
  cardType: 'foreign_2023',
  name: '安娜',
  englishName: 'KOWALSKA, ANNA MARIA',
  sex: '2',
  renewalCount: '00',
  birthDate: '19900312',
  idNumber: withCheckChar('96163319900312022')!,
  validFrom: '20240105',
  validTo: '20340104',
  nationality: 'POL',
};

/** 2017 foreigner's permanent residence card (number: nationality, region, YYMMDD, sex: odd = male, ICAO check digit). */
export const foreignFather: CardText = {
  cardType: 'foreign_2017',
  name: '史密斯',
  englishName: 'SMITH, JOHN DAVID',
  sex: '1',
  idNumber: withIcaoCheckDigit('USA33038801011')!,
  nationality: 'USA',
  validFrom: '20190708',
  validTo: '20290707',
  birthDate: '19880101',
  version: '01',
  authorityCode: '1500',
};

export const FIXTURES = { mother, father, sheMother, middleDotMother, olderFather, hkMother, foreignMother, foreignFather } as const;
export type FixtureName = keyof typeof FIXTURES;

export function fixtureCard(name: FixtureName): SimulatedCard {
  return { text: FIXTURES[name], photo: defaultPhoto() };
}

const compact = (iso: string | undefined, fallback: string) => (iso ? iso.replaceAll('-', '') : fallback);

/**
 * The card a Parent's data would sit on (training mode: "tap" a parent typed in the UI). Passports have no chip
 * this reader can read: RangeError. Missing card-only fields get neutral values.
 */
export function parentToCard(parent: Omit<Parent, 'chip'>): CardText {
  const common = {
    sex: parent.sex ?? '0',
    birthDate: compact(parent.birthDate, '19900101'),
    idNumber: parent.docNumber,
    validFrom: compact(parent.validFrom, '20200101'),
    validTo: parent.validTo === 'permanent' ? PERMANENT : compact(parent.validTo, '20400101'),
  };
  switch (parent.docType) {
    case 'resident_id':
      return { cardType: 'resident', name: parent.name, ethnicity: parent.ethnicity ?? '01', address: parent.address ?? '', authority: parent.issuingAuthority ?? '', ...common };
    case 'hmt_permit':
      return { cardType: 'hmt', name: parent.name, address: parent.address ?? '', authority: parent.issuingAuthority ?? '', passNumber: '', issueCount: '01', ...common };
    case 'foreign_permanent':
      return parent.docNumber.startsWith('9')
        ? { cardType: 'foreign_2023', name: parent.name, englishName: '', nationality: parent.nationality, renewalCount: '00', ...common }
        : { cardType: 'foreign_2017', name: '', englishName: parent.name, nationality: parent.nationality, version: '01', authorityCode: '1500', ...common };
    default:
      throw new RangeError(`a ${parent.docType} has no chip the ID card reader can read`);
  }
}
