/**
 * Drafts area (clerk walk): which form instance a route shows. Going to "new registration" while the open form is
 * that very draft (Alt+N, the nav button, a device event naming `currentDraftId`) keeps the form mounted: a
 * remount would load the draft before its pending save had landed, start a second registration id and leave the
 * first one behind as a resumable draft of an already submitted child.
 */
import type { Route } from './desk';

export interface FormKey {
  route: Route | null;
  key: string;
}

export function nextFormKey(prev: FormKey, route: Route, currentDraftId: string | null): FormKey {
  if (route.name === 'amend') return { route, key: `amend-${route.requestId}` };
  if (route.name !== 'new') return { route, key: prev.key };
  const sameForm = prev.route?.name === 'new' && !!route.draftId && route.draftId === currentDraftId;
  return { route, key: sameForm ? prev.key : (route.draftId ?? 'new') };
}
