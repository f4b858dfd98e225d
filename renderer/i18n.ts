/// <reference types="vite/client" />
/**
 * The clerk's two languages: zh-CN by default, English one click away. The strings are i18next JSON resources,
 * one file per language (`locales/zh-CN.json`, `locales/en.json`), plus one file per area of the desk
 * (`locales/areas/<area>.json`, `{ "zh-CN": {…}, "en": {…} }`, merged in); `i18n.test.ts` checks that both
 * languages have the same keys, so a missing translation fails a test rather than showing on a desk. A count is an i18next plural, called
 * as `t('key', { count })`: English has `key_one` and `key_other`, Chinese only `key_other` (it has no plural
 * forms). Lists shown to the clerk go through `listOf` (Intl.ListFormat).
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { REQUEST_STATES, STATE_LABELS } from '../domain/codes';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type UiLanguage = (typeof LANGUAGES)[number];

type Tree = { [key: string]: string | Tree };
const areas = import.meta.glob<Record<UiLanguage, Tree>>('./locales/areas/*.json', { eager: true, import: 'default' });

function merged(base: Tree, more: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(more)) {
    const here = out[k];
    out[k] = typeof v === 'object' && typeof here === 'object' ? merged(here, v) : v;
  }
  return out;
}

// Request states (issue 12): one wording, the domain's STATE_LABELS, on screen and on the printed receipt.
const stateWords = (lang: 'zh' | 'en'): Tree => ({ state: Object.fromEntries(REQUEST_STATES.map((s) => [s, STATE_LABELS[s][lang]])) });

/** Each language's whole resource tree: the base file, the domain's state labels and every area file. */
export const RESOURCES: Record<UiLanguage, Tree> = {
  'zh-CN': Object.values(areas).reduce<Tree>((t, a) => merged(t, a['zh-CN']), merged(zhCN, stateWords('zh'))),
  en: Object.values(areas).reduce<Tree>((t, a) => merged(t, a.en), merged(en, stateWords('en'))),
};

export function initI18n(language: UiLanguage = 'zh-CN') {
  void i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: RESOURCES['zh-CN'] }, en: { translation: RESOURCES.en } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}

const listFormats = new Map<string, Intl.ListFormat>();

/**
 * A list in the clerk's language: `A、B、C` in Chinese, `A, B, C` in English (Intl.ListFormat, narrow conjunction,
 * so no "and"/"和" is added to names of services or evidences). An empty list is ''.
 */
export function listOf(items: readonly string[], language: string): string {
  const locale = language === 'en' ? 'en' : 'zh-CN';
  let f = listFormats.get(locale);
  if (!f) listFormats.set(locale, (f = new Intl.ListFormat(locale, { type: 'conjunction', style: 'narrow' })));
  return f.format(items);
}

/** Pick the message of a bilingual `{ zh, en }` pair in the current language. */
export function loc(m: { zh: string; en: string } | null | undefined, language: string): string {
  if (!m) return '';
  return language === 'en' ? m.en : m.zh;
}
