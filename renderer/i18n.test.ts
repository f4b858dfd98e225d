import { beforeAll, describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { initI18n, listOf, RESOURCES } from './i18n';

const en = RESOURCES.en;
const zhCN = RESOURCES['zh-CN'];

/** Every key of a resource tree, dotted, with an i18next plural suffix (`_one`, `_other`) taken off. */
function keys(tree: object, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'object' && v !== null) for (const sub of keys(v as object, `${prefix}${k}.`)) out.add(sub);
    else out.add(`${prefix}${k.replace(/_(?:zero|one|two|few|many|other)$/, '')}`);
  }
  return out;
}

describe('i18n: plurals and lists in both languages', () => {
  let t: { en: TFunction; zh: TFunction };
  beforeAll(async () => {
    const i18n = initI18n('zh-CN');
    if (!i18n.isInitialized) await new Promise<void>((resolve) => i18n.on('initialized', () => resolve()));
    t = { en: i18n.getFixedT('en'), zh: i18n.getFixedT('zh-CN') };
  });

  it('has every string in both languages', () => {
    expect([...keys(en)].sort()).toEqual([...keys(zhCN)].sort());
  });

  it('says "1 request" and "2 requests" in English, and has one form for every count in Chinese', () => {
    const cases: [lang: 'en' | 'zh', key: string, count: number, text: string][] = [
      ['en', 'receipt.queued', 1, '1 request is queued and will be sent as soon as the desk is online.'],
      ['en', 'receipt.queued', 2, '2 requests are queued and will be sent as soon as the desk is online.'],
      ['en', 'sync.queue', 1, '1 request waiting'],
      ['en', 'sync.queue', 0, '0 requests waiting'],
      ['en', 'sync.held', 1, '1 needs action'],
      ['en', 'sync.held', 3, '3 need action'],
      ['en', 'home.count', 1, '1 registration today'],
      ['en', 'list.results', 25, '25 registrations shown'],
      ['en', 'form.problems', 1, '1 thing to fix'],
      ['en', 'form.problems', 4, '4 things to fix'],
      ['en', 'detail.attempts', 1, '1 attempt'],
      ['zh', 'receipt.queued', 1, '1 项事项已进入发送队列，联网后自动发送。'],
      ['zh', 'receipt.queued', 5, '5 项事项已进入发送队列，联网后自动发送。'],
      ['zh', 'sync.queue', 1, '待发送 1'],
      ['zh', 'form.problems', 2, '有 2 处需要修改'],
      ['zh', 'detail.attempts', 3, '已尝试 3 次'],
    ];
    for (const [lang, key, count, text] of cases) expect(t[lang](key, { count }), `${lang} ${key} ${count}`).toBe(text);
    expect(t.en('form.weeks', { count: 39, n: '39' })).toBe('39 weeks');
    expect(t.zh('form.weeks', { count: 39, n: '39' })).toBe('孕 39 周');
  });

  it('joins lists with 、 in Chinese and with commas in English', () => {
    expect(listOf(['出生医学证明', '预防接种登记', '出生户口登记'], 'zh-CN')).toBe('出生医学证明、预防接种登记、出生户口登记');
    expect(listOf(['出生医学证明', '出生户口登记'], 'zh-CN')).toBe('出生医学证明、出生户口登记');
    expect(listOf(['Medical Certificate of Birth', 'Vaccination registration', 'Household registration'], 'en')).toBe(
      'Medical Certificate of Birth, Vaccination registration, Household registration',
    );
    expect(listOf(['Marriage certificate'], 'en')).toBe('Marriage certificate');
    expect(listOf([], 'en')).toBe('');
    // A list inside a translated sentence.
    expect(t.en('form.waitsFor', { deps: listOf(['Medical Certificate of Birth', 'Household registration'], 'en') })).toBe(
      'Waits for Medical Certificate of Birth, Household registration',
    );
    expect(t.zh('form.waitsFor', { deps: listOf(['出生医学证明', '出生户口登记'], 'zh-CN') })).toBe('等待：出生医学证明、出生户口登记');
  });
});
