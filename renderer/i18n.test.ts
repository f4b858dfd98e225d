import { beforeAll, describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { initI18n, listOf } from './i18n';

describe('i18n: plurals and lists in both languages', () => {
  let en: TFunction;
  let zh: TFunction;
  beforeAll(async () => {
    const i18n = initI18n('zh-CN');
    if (!i18n.isInitialized) await new Promise<void>((resolve) => i18n.on('initialized', () => resolve()));
    en = i18n.getFixedT('en');
    zh = i18n.getFixedT('zh-CN');
  });

  it('says "1 request" and "2 requests" in English', () => {
    expect(en('receipt.queued', { count: 1 })).toBe('1 request is queued and will be sent as soon as the desk is online.');
    expect(en('receipt.queued', { count: 2 })).toBe('2 requests are queued and will be sent as soon as the desk is online.');
    expect(en('sync.queue', { count: 1 })).toBe('1 request waiting');
    expect(en('sync.queue', { count: 0 })).toBe('0 requests waiting');
    expect(en('sync.held', { count: 1 })).toBe('1 needs action');
    expect(en('sync.held', { count: 3 })).toBe('3 need action');
    expect(en('home.count', { count: 1 })).toBe('1 registration today');
    expect(en('list.results', { count: 25 })).toBe('25 registrations shown');
    expect(en('form.problems', { count: 1 })).toBe('1 thing to fix');
    expect(en('form.problems', { count: 4 })).toBe('4 things to fix');
    expect(en('detail.attempts', { count: 1 })).toBe('1 attempt');
    expect(en('form.weeks', { count: 39, n: '39' })).toBe('39 weeks');
  });

  it('has one form for every count in Chinese', () => {
    expect(zh('receipt.queued', { count: 1 })).toBe('1 项事项已进入发送队列，联网后自动发送。');
    expect(zh('receipt.queued', { count: 5 })).toBe('5 项事项已进入发送队列，联网后自动发送。');
    expect(zh('sync.queue', { count: 1 })).toBe('待发送 1');
    expect(zh('form.problems', { count: 2 })).toBe('有 2 处需要修改');
    expect(zh('detail.attempts', { count: 3 })).toBe('已尝试 3 次');
  });

  it('joins lists with 、 in Chinese and with commas in English', () => {
    const zhServices = ['出生医学证明', '预防接种登记', '出生户口登记'];
    expect(listOf(zhServices, 'zh-CN')).toBe('出生医学证明、预防接种登记、出生户口登记');
    expect(listOf(['出生医学证明', '出生户口登记'], 'zh-CN')).toBe('出生医学证明、出生户口登记');
    expect(listOf(['Medical Certificate of Birth', 'Vaccination registration', 'Household registration'], 'en')).toBe(
      'Medical Certificate of Birth, Vaccination registration, Household registration',
    );
    expect(listOf(['Marriage certificate'], 'en')).toBe('Marriage certificate');
    expect(listOf([], 'en')).toBe('');
    // A list inside a translated sentence.
    expect(en('form.waitsFor', { deps: listOf(['Medical Certificate of Birth', 'Household registration'], 'en') })).toBe(
      'Waits for Medical Certificate of Birth, Household registration',
    );
    expect(zh('form.waitsFor', { deps: listOf(['出生医学证明', '出生户口登记'], 'zh-CN') })).toBe('等待：出生医学证明、出生户口登记');
  });
});
