/**
 * Issue 13, item 7: no per-user path in IT's machine-wide config. Two Windows users on one desk, each with their
 * own userData and safeStorage (a fake): both sync from IT's clear secret, IT's file is byte-for-byte unchanged,
 * and an old `clientSecretEncrypted` path left by an earlier version is ignored.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeskConfigSchema } from '../../core/config/schema';
import { resolveCitySecret } from '../../electron/main/secrets';
import { fakeSafeStorage, memoryLog } from './fakes';

describe('the city secret and IT’s machine-wide file', () => {
  it('two users on one desk both get the secret; IT’s file is never written and holds no per-user path', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'desk-secrets-'));
    const file = path.join(base, 'config.json');
    const raw = { hospitalCode: 'WZ05', deskId: 'd1', cityApi: { url: 'https://city.invalid/', clientSecret: 'desk-secret-123' } };
    writeFileSync(file, JSON.stringify(raw, null, 2));
    const before = readFileSync(file, 'utf8');
    const config = DeskConfigSchema.parse(raw);
    for (const user of ['alice', 'bob']) {
      const log = memoryLog();
      const secretFile = path.join(base, user, 'userData', 'city-secret.enc');
      expect(resolveCitySecret({ config, configFile: file, safeStorage: fakeSafeStorage, secretFile, log })).toBe('desk-secret-123');
      expect(readFileSync(secretFile).toString('latin1')).not.toContain('desk-secret-123');
      expect(JSON.stringify(log.entries)).toMatch(/IT's file is not changed/);
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    // IT removes the clear secret afterwards: each user reads their own copy.
    const withoutSecret = DeskConfigSchema.parse({ ...raw, cityApi: { url: 'https://city.invalid/' } });
    for (const user of ['alice', 'bob']) {
      const secretFile = path.join(base, user, 'userData', 'city-secret.enc');
      expect(resolveCitySecret({ config: withoutSecret, configFile: file, safeStorage: fakeSafeStorage, secretFile, log: memoryLog() })).toBe('desk-secret-123');
    }
  });

  it('an old clientSecretEncrypted path (one user’s file) is ignored with a warning', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'desk-secrets-'));
    const other = path.join(base, 'alice', 'city-secret.enc');
    writeFileSync(path.join(base, 'x'), '');
    const config = DeskConfigSchema.parse({ hospitalCode: 'WZ05', deskId: 'd1', cityApi: { url: 'https://city.invalid/', clientSecretEncrypted: other } });
    const log = memoryLog();
    expect(resolveCitySecret({ config, configFile: null, safeStorage: fakeSafeStorage, secretFile: path.join(base, 'bob', 'city-secret.enc'), log })).toBeUndefined();
    expect(JSON.stringify(log.entries)).toMatch(/clientSecretEncrypted in IT's file is ignored/);
  });
});
