/**
 * Words the receipt prints, in Chinese first with English. Codes' own labels (services, districts, states,
 * evidences, capture methods, document types, sex) come from `domain/codes`; these are the ones only a
 * receipt needs.
 */
import type { Bilingual } from '../../domain/codes';

/** A receipt label in both languages. */
export type Bi = Bilingual;

export const PENDING = { zh: '待签发', en: 'pending' } as const;
export const UNNAMED = { zh: '未取名', en: 'not yet named' } as const;
