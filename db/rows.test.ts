import { describe, expect, it } from 'vitest';
import { camelRow } from './rows';

describe('camelRow', () => {
  it('gives each column its camelCase field name and keeps the values as they are', () => {
    expect(camelRow({ seq: 3, subject_id: null, prev_hash: 'ab', failed_attempts: 0, child_birth_date_time: 'x' })).toEqual({
      seq: 3,
      subjectId: null,
      prevHash: 'ab',
      failedAttempts: 0,
      childBirthDateTime: 'x',
    });
  });
});
