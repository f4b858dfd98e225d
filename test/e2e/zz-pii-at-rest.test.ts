/**
 * Issue 13 Must-show: no personal data in clear in any file under the data folder. A training desk in browser
 * mode takes a registration and a draft over real loopback HTTP, syncs it to the embedded city simulator and
 * closes; then every file under its data folder (database, -wal/-shm, key, anchor, logs, drafts, print jobs, temp
 * files) is searched for the names, ID numbers and phones it held, as UTF-8 and UTF-16LE. The harness runs the
 * same scan when any e2e desk closes (test/e2e/pii-at-rest.ts); this file runs last (zz) and reads their records.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRegistrationInput } from '../../domain/fixtures';
import { RESULTS_DIR, recentBirthTime, startTestDesk, waitFor } from './harness';
import { personalValues, scanForPii } from './pii-at-rest';

describe('no personal data in clear under the data folder', () => {
  it('after a registration, a draft and a sync, no file holds a name, ID number or phone (the training simulator keeps its data in memory)', async () => {
    const desk = await startTestDesk('pii');
    let closed = false;
    try {
      const ok = <T,>(r: { ok: boolean; value?: T; error?: unknown }): T => {
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        return r.value as T;
      };
      ok(await desk.call('signIn', { staffId: 'trainer', pin: '123456' }));
      const registration = sampleRegistrationInput();
      registration.child.birthDateTime = recentBirthTime(3).replace(' ', 'T');
      registration.vaccinations = registration.vaccinations.map((v) => ({ ...v, givenAt: registration.child.birthDateTime }));
      ok(await desk.call('submit', { registration, acknowledgeDuplicates: true, confirmedAt: new Date().toISOString() }));
      const draft = sampleRegistrationInput({ id: '01938a2b-1390-7000-8000-0000000000d1' });
      ok(await desk.call('saveDraft', { id: draft.id, data: { mother: draft.mother, father: draft.father, child: { name: '林沐晴' } } }));
      await desk.call('syncNow', {});
      await waitFor(async () => (desk.mode.desk.trainingCity ? true : null), 5000, 'the training city');
      const values = personalValues(desk.mode.desk.desk.store);
      expect(values.length).toBeGreaterThanOrEqual(6);
      const dataDir = desk.dataDir;
      // While open too: the -wal and -shm files are there then.
      const open = scanForPii(dataDir, values);
      console.log(`[pii-at-rest] while open: ${open.files.join(', ')}`);
      expect(open.leaks).toEqual([]);
      await desk.mode.close();
      const scan = scanForPii(dataDir, values);
      closed = true;
      console.log(`[pii-at-rest] ${values.length} personal values searched in ${scan.files.length} files: ${scan.files.join(', ')}`);
      console.log(`[pii-at-rest] found in: ${scan.leaks.map((l) => `${l.file} (${l.kind}, ${l.encoding})`).join(', ') || 'none'}`);
      expect(scan.leaks).toEqual([]);
    } finally {
      if (!closed) await desk.close();
    }
  }, 60_000);

  it('no e2e desk of this run left personal data in clear (the harness scans each one as it closes)', () => {
    const file = path.join(RESULTS_DIR, 'pii-at-rest.jsonl');
    expect(existsSync(file), 'the harness records each desk it scans').toBe(true);
    const records = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { desk: string; leaks: Array<{ file: string }> });
    for (const r of records) expect(r.leaks, r.desk).toEqual([]);
  });
});
