/** Which parent's section a card tap fills (pure: no DOM; the device fill asks it). */
import { type FormValues, type ParentForm } from './model';

/** The two parents' sections (useFollowers' `Who`, restated from the form's own keys so no DOM code is loaded). */
type Who = Extract<keyof FormValues, 'mother' | 'father'>;

/** Fill this section, or leave everything as it is: the section that fits the card holds another document. */
export type CardTarget = { fill: Who } | { occupied: Who };

/**
 * Where a card goes. The holder's sex decides first: a woman's card only ever fills the mother's section, a man's
 * only the father's. The fitting section takes the card when it holds no document number or this same one (the
 * card tapped again); when it holds another person's number, nothing is overwritten (`occupied`). A card without a
 * sex goes to the section already holding it, else the focused section, else the first that is free.
 */
export function parentForCard(v: Pick<FormValues, 'mother' | 'father' | 'hasFather'>, card: ParentForm, focused: Who | null): CardTarget {
  const number = card.docNumber.trim().toUpperCase();
  const held = (w: Who) => (w === 'father' && !v.hasFather ? '' : v[w].docNumber.trim().toUpperCase());
  const holds = (w: Who) => number !== '' && held(w) === number;
  const free = (w: Who) => held(w) === '' || holds(w);
  const to = (w: Who): CardTarget => (free(w) ? { fill: w } : { occupied: w });

  if (card.sex === '2') return to('mother');
  if (card.sex === '1') return to('father');
  if (holds('mother')) return { fill: 'mother' };
  if (holds('father')) return { fill: 'father' };
  if (focused && free(focused)) return { fill: focused };
  if (free('mother')) return { fill: 'mother' };
  if (free('father')) return { fill: 'father' };
  return { occupied: focused ?? 'mother' };
}
