/** Which parent's section a card tap fills (pure: no DOM; the device fill asks it). */
import { isParentEmpty, type FormValues, type ParentForm } from './model';

/** The two parents' sections (useFollowers' `Who`, restated from the form's own keys so no DOM code is loaded). */
type Who = Extract<keyof FormValues, 'mother' | 'father'>;

/**
 * Which parent a card fills: the section already holding this document (the same card tapped again), else the
 * focused section if it may take it, else the first empty one, else by sex.
 */
export function parentForCard(v: Pick<FormValues, 'mother' | 'father' | 'hasFather'>, card: ParentForm, focused: Who | null): Who {
  const holds = (w: Who) => v[w].docNumber.trim().toUpperCase() === card.docNumber.toUpperCase() && card.docNumber !== '';
  if (holds('mother')) return 'mother';
  if (v.hasFather && holds('father')) return 'father';
  const eligible = (w: Who) => {
    const p = v[w];
    return isParentEmpty(p) || !p.chip || p.docNumber.trim().toUpperCase() === card.docNumber.toUpperCase();
  };
  if (focused && (focused === 'mother' || v.hasFather) && eligible(focused)) return focused;
  if (isParentEmpty(v.mother)) return 'mother';
  if (!v.hasFather || isParentEmpty(v.father)) return 'father';
  if (focused) return focused;
  if (card.docNumber === v.father.docNumber) return 'father';
  return card.sex === '1' ? 'father' : 'mother';
}
