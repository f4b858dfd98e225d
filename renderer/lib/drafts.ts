/**
 * Nothing typed is lost (issue 12): the open form registers how to save its draft now, and whoever is about to
 * take the screen away (Alt+L, the idle lock, signing out) flushes it first and knows whether it was saved.
 */
export type FlushOutcome = 'saved' | 'none' | 'failed';
type Flusher = () => Promise<FlushOutcome>;

const flushers = new Set<Flusher>();

export function registerDraftFlusher(f: Flusher): () => void {
  flushers.add(f);
  return () => flushers.delete(f);
}

/** Saves every open draft now: 'none' when there was nothing to keep, 'failed' when any save failed. */
export async function flushDrafts(): Promise<FlushOutcome> {
  const all = await Promise.all([...flushers].map((f) => f().catch((): FlushOutcome => 'failed')));
  if (all.includes('failed')) return 'failed';
  return all.includes('saved') ? 'saved' : 'none';
}
