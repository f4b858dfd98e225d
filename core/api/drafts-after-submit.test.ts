/**
 * Drafts area (clerk walk): a registration once submitted never comes back as a resumable draft. A draft save
 * that lands after the submit (debounced, retried, or flushed before a lock) is refused as `already_submitted`
 * and leaves no draft. Real encrypted SQLite file, through the dispatcher the shells use.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_NOW, sampleRegistrationInput } from '../../domain/fixtures';
import { useSignedInDesk, value } from './test-kiosk';

const desk = useSignedInDesk('kiosk-drafts-');
const call = desk.call;

describe('a submitted registration is not a draft', () => {
  it('submit deletes the draft; a save for the same id after submit is refused and leaves no draft', async () => {
    const registration = sampleRegistrationInput();
    value(await call('saveDraft', { id: registration.id, data: { mother: { name: registration.mother.name } } }));
    expect(value<unknown[]>(await call('listDrafts'))).toHaveLength(1);
    value(await call('submit', { registration, confirmedAt: SAMPLE_NOW.toISOString() }));
    expect(value<unknown[]>(await call('listDrafts'))).toEqual([]);

    // the debounced save that was on its way lands now
    const late = await call('saveDraft', { id: registration.id, data: { mother: { name: registration.mother.name } } });
    expect(late.ok).toBe(false);
    if (!late.ok) {
      expect(late.error.fields?.map((f) => f.code)).toEqual(['already_submitted']);
    }
    expect(value<unknown[]>(await call('listDrafts'))).toEqual([]);
    expect(value(await call('getDraft', { id: registration.id }))).toBeNull();
  });
});
