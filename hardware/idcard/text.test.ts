import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParentSchema } from '../../domain/types';
import { FIXTURES } from '../sim/fixtures';
import { IdCardError } from './errors';
import { FrameAssembler, decodeReadData, encodeReadData, encodeResponse, expectStatus, parseResponse } from './frame';
import { withCheckChar } from '../../domain/idnumber';
import { cardToParent, hasPhoto } from './parent';
import { lengthPrefixedReports, paddedReports } from '../transport/hid';
import { splitAt } from '../transport/testing';
import { decodeText, encodeText, PERMANENT, type CardText } from './text';

/** Write `s` as UCS-2LE at `offset` — built by hand from the reference's offset table, not from text.ts. */
function block(fields: Array<[number, string]>, marker: string): Uint8Array {
  const b = new Uint8Array(256);
  for (let i = 0; i < 256; i += 2) b[i] = 0x20;
  for (const [offset, s] of fields) {
    for (let i = 0; i < s.length; i++) {
      b[offset + 2 * i] = s.charCodeAt(i) & 0xff;
      b[offset + 2 * i + 1] = s.charCodeAt(i) >> 8;
    }
  }
  b[248] = marker.charCodeAt(0);
  b[249] = 0;
  return b;
}

const meta = { readerId: 'r1', readAt: new Date('2025-03-01T08:00:00Z'), photoPresent: true };

describe('text block, hand-built at the reference offsets', () => {
  it('resident ID card (marker space)', () => {
    const id = withCheckChar('33030219930415002')!;
    const b = block(
      [[0, '林晓燕'], [30, '2'], [32, '22'], [36, '19930415'], [52, '浙江省温州市鹿城区五马街道解放街128号'], [122, id], [158, '温州市公安局鹿城分局'], [188, '20150610'], [204, '长期']],
      ' ',
    );
    // byte-level spot checks of the hand-built block: 林 = U+6797 little-endian at 0
    expect([b[0], b[1], b[30], b[31]]).toEqual([0x97, 0x67, 0x32, 0x00]);
    const card = decodeText(b);
    expect(card).toMatchObject({ cardType: 'resident', name: '林晓燕', sex: '2', ethnicity: '22', birthDate: '19930415', idNumber: id, validTo: PERMANENT });
    const p = cardToParent(card, meta);
    expect(p).toEqual({
      name: '林晓燕', sex: '2', docType: 'resident_id', docNumber: id, nationality: 'CHN', ethnicity: '22', birthDate: '1993-04-15',
      address: '浙江省温州市鹿城区五马街道解放街128号', issuingAuthority: '温州市公安局鹿城分局', validFrom: '2015-06-10', validTo: 'permanent',
      chip: {
        cardType: 'resident', readAt: '2025-03-01T08:00:00.000Z', readerId: 'r1', photoPresent: true,
        verifiedFields: ['name', 'sex', 'docType', 'docNumber', 'nationality', 'birthDate', 'validFrom', 'validTo', 'ethnicity', 'address', 'issuingAuthority'],
      },
    });
  });

  it('HK/Macau/Taiwan residence permit (J)', () => {
    const id = withCheckChar('82000019880101003')!;
    const b = block([[0, '何美玲'], [30, '2'], [36, '19880101'], [52, '澳门特别行政区'], [122, id], [158, '温州市公安局'], [188, '20200101'], [204, '20250101'], [220, 'M12345678'], [238, '02']], 'J');
    const card = decodeText(b);
    expect(card).toMatchObject({ cardType: 'hmt', passNumber: 'M12345678', issueCount: '02' });
    expect(cardToParent(card, meta)).toMatchObject({ docType: 'hmt_permit', nationality: 'CHN', docNumber: id, address: '澳门特别行政区' });
    expect(cardToParent(card, meta).ethnicity).toBeUndefined();
  });

  it("foreigner's permanent residence card 2017 (I)", () => {
    const b = block(
      [[0, 'SMITH, JOHN DAVID'], [120, '1'], [122, 'USA330388010110'], [152, 'USA'], [158, '史密斯'], [188, '20190708'], [204, '20290707'], [220, '19880101'], [236, '01'], [240, '1500']],
      'I',
    );
    const card = decodeText(b);
    expect(card).toMatchObject({ cardType: 'foreign_2017', englishName: 'SMITH, JOHN DAVID', name: '史密斯', nationality: 'USA', version: '01', authorityCode: '1500' });
    expect(cardToParent(card, meta)).toMatchObject({ name: '史密斯', docType: 'foreign_permanent', nationality: 'USA', birthDate: '1988-01-01', chip: { cardType: 'foreign_2017' } });
    // no Chinese name: the English name is the name
    const noCn = decodeText(block([[0, 'SMITH, JOHN DAVID'], [120, '1'], [122, 'USA330388010110'], [152, 'USA'], [188, '20190708'], [204, '20290707'], [220, '19880101']], 'I'));
    expect(cardToParent(noCn, meta).name).toBe('SMITH, JOHN DAVID');
  });

  it("foreigner's permanent residence card 2023 (Y), long English name continued at 220", () => {
    const id = withCheckChar('98403319850607011')!;
    const en = 'WASHINGTON-CARVER, ELIZABETH ALEXANDRA MARY';
    const b = block([[0, '华盛顿'], [30, '2'], [32, '01'], [36, '19850607'], [52, en.slice(0, 35)], [122, id], [188, '20230901'], [204, '20330831'], [220, en.slice(35)], [242, 'USA']], 'Y');
    const card = decodeText(b);
    expect(card).toMatchObject({ cardType: 'foreign_2023', name: '华盛顿', englishName: en, nationality: 'USA', renewalCount: '01', idNumber: id });
    expect(cardToParent(card, meta)).toMatchObject({ docType: 'foreign_permanent', nationality: 'USA', docNumber: id });
  });

  it('names the field of what is wrong, never its value', () => {
    const base: Array<[number, string]> = [[0, '林晓燕'], [30, '2'], [32, '01'], [36, '19930415'], [52, '温州'], [122, withCheckChar('33030219930415002')!], [188, '20150610'], [204, '20350610']];
    const with_ = (o: number, s: string) => block([...base.filter(([x]) => x !== o), [o, s]], ' ');
    const fieldOf = (b: Uint8Array) => {
      try {
        decodeText(b);
        return 'ok';
      } catch (e) {
        expect(e).toBeInstanceOf(IdCardError);
        expect((e as IdCardError).message).not.toContain('林晓燕');
        return `${(e as IdCardError).code}:${(e as IdCardError).field}`;
      }
    };
    expect(fieldOf(block(base, ' '))).toBe('ok');
    expect(fieldOf(with_(36, '19930230'))).toBe('bad_text:birthDate');
    expect(fieldOf(with_(30, '5'))).toBe('bad_text:sex');
    expect(fieldOf(with_(32, '77'))).toBe('bad_text:ethnicity');
    expect(fieldOf(with_(122, '330302199304150020'))).toBe('bad_text:idNumber');
    expect(fieldOf(with_(204, '2035061'))).toBe('bad_text:validTo');
    expect(fieldOf(with_(0, ''))).toBe('bad_text:name');
    expect(fieldOf(block(base, 'Q'))).toBe('bad_text:cardType');
  });

  it('photo presence', () => {
    expect(hasPhoto(new Uint8Array(0))).toBe(false);
    expect(hasPhoto(new Uint8Array(1024))).toBe(false);
    expect(hasPhoto(new Uint8Array(1024).fill(0xff))).toBe(false);
    expect(hasPhoto(Uint8Array.of(0x57, 0x4c, 0x66))).toBe(true);
  });

  it('every fixture decodes to a valid Parent', () => {
    for (const card of Object.values(FIXTURES)) {
      const p = cardToParent(decodeText(encodeText(card)), meta);
      expect(ParentSchema.safeParse(p).success).toBe(true);
    }
  });
});

// ——— round trip: card → frame → chunks at random split points → card → Parent ———

const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
const str = (chars: fc.Arbitrary<string>, min: number, max: number) => fc.array(chars, { minLength: min, maxLength: max }).map((a) => a.join(''));
const digits = (n: number) => str(fc.constantFrom(...'0123456789'), n, n);
const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const sex = fc.constantFrom('0', '1', '2', '9');
const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const enName = fc.tuple(str(upper, 1, 20), str(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ ,-'), 0, 50), upper).map(([a, b, c]) => `${a}${b}${c}`.slice(0, 46));

const resident: fc.Arbitrary<CardText> = fc.record({
  cardType: fc.constant('resident' as const),
  name: str(cjk, 1, 15),
  sex,
  ethnicity: fc.constantFrom('01', '02', '22', '56', '97', '98'),
  birthDate: date,
  address: str(fc.oneof(cjk, fc.constantFrom(...'0123456789号-')), 1, 35),
  idNumber: digits(17).map((d) => withCheckChar(d)!),
  authority: str(cjk, 0, 15),
  validFrom: date,
  validTo: fc.oneof(date, fc.constant(PERMANENT)),
});
const hmt: fc.Arbitrary<CardText> = fc.record({
  cardType: fc.constant('hmt' as const),
  name: str(cjk, 1, 15),
  sex,
  birthDate: date,
  address: str(cjk, 0, 35),
  idNumber: fc.tuple(fc.constantFrom('81', '82', '83'), digits(13)).map(([a, b]) => withCheckChar(`${a}0000${b}`.slice(0, 17))!),
  authority: str(cjk, 0, 15),
  validFrom: date,
  validTo: date,
  passNumber: str(fc.constantFrom(...'HM0123456789'), 0, 9),
  issueCount: digits(2),
});
const foreign2017: fc.Arbitrary<CardText> = fc.record({
  cardType: fc.constant('foreign_2017' as const),
  englishName: enName,
  name: str(cjk, 0, 15),
  sex,
  idNumber: fc.tuple(str(upper, 3, 3), digits(12)).map(([a, b]) => a + b),
  nationality: str(upper, 3, 3),
  validFrom: date,
  validTo: date,
  birthDate: date,
  version: digits(2),
  authorityCode: digits(4),
});
const foreign2023: fc.Arbitrary<CardText> = fc.record({
  cardType: fc.constant('foreign_2023' as const),
  name: str(cjk, 0, 15),
  englishName: enName,
  sex,
  renewalCount: digits(2),
  birthDate: date,
  idNumber: digits(16).map((d) => withCheckChar(`9${d}`)!),
  validFrom: date,
  validTo: date,
  nationality: str(upper, 3, 3),
});
export const anyCard = fc.oneof(resident, hmt, foreign2017, foreign2023);

describe('round trip', () => {
  it('card → read response → chunks split anywhere (bulk, serial, HID) → card → Parent', () => {
    fc.assert(
      fc.property(anyCard, fc.uint8Array({ minLength: 1024, maxLength: 1024 }), fc.array(fc.nat(1400), { maxLength: 40 }), (card, photo, cuts) => {
        const frame = encodeResponse(0x90, encodeReadData({ text: encodeText(card), photo }));
        const chunks = splitAt(frame, cuts);
        const a = new FrameAssembler({ minLen: 4 });
        const frames = chunks.flatMap((c) => a.push(c)).map((o) => o.frame!);
        expect(frames).toHaveLength(1);
        const payload = decodeReadData(expectStatus(parseResponse(frames[0]!), 'read', 0x90));
        expect(payload.photo).toEqual(photo);
        const back = decodeText(payload.text);
        expect(back).toEqual(card);
        const parent = cardToParent(back, meta);
        expect(ParentSchema.safeParse(parent).success).toBe(true);
        expect(parent.docNumber).toBe(card.idNumber);
        expect(parent.birthDate.replaceAll('-', '')).toBe(card.birthDate);
        expect(parent.name).toBe(card.name || card.englishName);
        expect(parent.nationality).toBe(card.cardType.startsWith('foreign') ? card.nationality : 'CHN');
      }),
      { numRuns: 400 },
    );
  });

  it('card → read response → HID reports of any size (padded or length-prefixed) → card → Parent', () => {
    fc.assert(
      fc.property(anyCard, fc.integer({ min: 8, max: 255 }), fc.boolean(), (card, reportSize, prefixed) => {
        const frame = encodeResponse(0x90, encodeReadData({ text: encodeText(card), photo: new Uint8Array(1024).fill(7) }));
        const adapter = prefixed ? lengthPrefixedReports({ reportSize }) : paddedReports({ reportSize, inputHasReportId: true });
        const a = new FrameAssembler({ minLen: 4 });
        const frames = adapter.wrap(frame).flatMap((report) => a.push(adapter.unwrap(report))).map((o) => o.frame!);
        expect(frames).toHaveLength(1);
        const back = decodeText(decodeReadData(parseResponse(frames[0]!)).text);
        expect(back).toEqual(card);
        expect(cardToParent(back, meta).docNumber).toBe(card.idNumber);
      }),
      { numRuns: 200 },
    );
  });
});
