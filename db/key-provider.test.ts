/**
 * The database key sealed by the OS keystore (`SealedKeyProvider`, what the Electron shell uses with
 * `safeStorage`): real files, a reversible stand-in keystore that never writes the clear key.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SealedKeyProvider, type KeyLog, type KeySealer } from './key-provider';

const sealer: KeySealer = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.concat([Buffer.from('ENC1'), Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)]),
  decryptString: (b) => {
    if (b.subarray(0, 4).toString() !== 'ENC1') throw new Error('cannot decrypt');
    return Buffer.from(b.subarray(4).map((x) => x ^ 0x5a)).toString('utf8');
  },
};

function memoryLog(): KeyLog & { messages: string[] } {
  const messages: string[] = [];
  return { messages, info: (m) => messages.push(m), warn: (m) => messages.push(m) };
}

describe('SealedKeyProvider (the OS keystore holds the database key)', () => {
  it('creates a 32-byte key once, stores it only encrypted, and returns the same key afterwards', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    const log = memoryLog();
    const k1 = await new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), log).getKey();
    const k2 = await new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), log).getKey();
    expect(k1.length).toBe(32);
    expect(k2.equals(k1)).toBe(true);
    expect(readFileSync(path.join(dir, 'desk.key.enc')).includes(k1)).toBe(false);
    expect(readFileSync(path.join(dir, 'desk.key.enc')).toString('latin1')).not.toContain(k1.toString('hex'));
  });

  it('keeps an existing plain key file’s key when moving to the keystore, and falls back to it when the keystore is unavailable', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    const log = memoryLog();
    const unavailable = { ...sealer, isEncryptionAvailable: () => false };
    const plain = await new SealedKeyProvider(unavailable, path.join(dir, 'desk.key.enc'), log).getKey();
    expect(readdirSync(dir)).toEqual(['desk.key']);
    expect(log.messages.some((m) => /safeStorage unavailable/.test(m))).toBe(true);
    const moved = await new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), log).getKey();
    expect(moved.equals(plain)).toBe(true);
  });

  it('removes the plain desk.key once the sealed copy is written and reads back as the same key (issue 13)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    const plain = await new SealedKeyProvider({ ...sealer, isEncryptionAvailable: () => false }, path.join(dir, 'desk.key.enc'), memoryLog()).getKey();
    const moved = await new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), memoryLog()).getKey();
    expect(moved.equals(plain)).toBe(true);
    expect(readdirSync(dir)).toEqual(['desk.key.enc']);
    const again = await new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), memoryLog()).getKey();
    expect(again.equals(plain)).toBe(true);
  });

  it('keeps the plain desk.key when the sealed copy does not read back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    await new SealedKeyProvider({ ...sealer, isEncryptionAvailable: () => false }, path.join(dir, 'desk.key.enc'), memoryLog()).getKey();
    const lossy = { ...sealer, decryptString: () => '00'.repeat(32) };
    const log = memoryLog();
    await new SealedKeyProvider(lossy, path.join(dir, 'desk.key.enc'), log).getKey();
    expect(readdirSync(dir).sort()).toEqual(['desk.key', 'desk.key.enc']);
    expect(log.messages.some((m) => /did not read back/.test(m))).toBe(true);
  });

  it('a missing key beside an existing database is KeyMissingError, never a new key', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    await expect(new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), memoryLog()).getKey({ mayCreate: false, dbFile: 'desk.db' })).rejects.toMatchObject({ code: 'db.key_missing' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('warns when the keystore only obfuscates (Linux without a keyring)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    const log = memoryLog();
    await new SealedKeyProvider({ ...sealer, getSelectedStorageBackend: () => 'basic_text' }, path.join(dir, 'desk.key.enc'), log).getKey();
    expect(log.messages.some((m) => /basic_text/.test(m))).toBe(true);
  });

  it('refuses a damaged encrypted key rather than inventing a new one', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-key-'));
    writeFileSync(path.join(dir, 'desk.key.enc'), sealer.encryptString('abcd'));
    await expect(new SealedKeyProvider(sealer, path.join(dir, 'desk.key.enc'), memoryLog()).getKey()).rejects.toThrow(/damaged/);
  });
});
