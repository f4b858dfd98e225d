/**
 * Issue 13, item 3: updates are signature-checked. With a fake updater: an installed Windows build without
 * code-signing publisher names (electron-updater would then skip the Authenticode check) never turns updates on;
 * Linux leaves updates to the signed apt repository; a signed build checks against its publishers. The
 * electron-builder configuration carries the signing settings (validated against its schema in builder-config.test.ts).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configureUpdates, publisherNamesOf } from '../../electron/main/updates';
import { fakeUpdater, memoryLog } from './fakes';

const base = { config: { channel: 'latest' as const, url: 'https://updates.hospital.invalid/desk/' }, packaged: true, setInterval: () => ({}), clearInterval: () => {} };

describe('updates are signature-checked', () => {
  it('an unsigned Windows build (no publisherName) refuses updates, before any download', () => {
    const u = fakeUpdater();
    const log = memoryLog();
    const r = configureUpdates({ ...base, updater: u as never, log, platform: 'win32', publisherNames: null });
    expect(r).toMatchObject({ enabled: false, reason: expect.stringMatching(/unsigned/) });
    expect(u.feeds).toEqual([]);
    expect(u.checks).toBe(0);
  });

  it('Linux: the desk’s updater stays off (the signed apt repository updates it)', () => {
    const u = fakeUpdater();
    expect(configureUpdates({ ...base, updater: u as never, log: memoryLog(), platform: 'linux', publisherNames: ['Newborn Desk team'] })).toMatchObject({ enabled: false, reason: expect.stringMatching(/apt/) });
    expect(u.checks).toBe(0);
  });

  it('a signed Windows build checks updates against its publishers', () => {
    const u = fakeUpdater();
    const r = configureUpdates({ ...base, updater: u as never, log: memoryLog(), platform: 'win32', publisherNames: ['Newborn Desk team'] });
    expect(r.enabled).toBe(true);
    expect(u.checks).toBe(1);
  });

  it('reads the publisher names electron-builder writes into app-update.yml', () => {
    expect(publisherNamesOf(null)).toBeNull();
    expect(publisherNamesOf('provider: generic\nurl: https://u.invalid/\n')).toBeNull();
    expect(publisherNamesOf('provider: generic\npublisherName:\n  - Newborn Desk team\n  - Other CN\nupdaterCacheDirName: x\n')).toEqual(['Newborn Desk team', 'Other CN']);
    expect(publisherNamesOf("publisherName: 'Newborn Desk team'\n")).toEqual(['Newborn Desk team']);
  });

  it('electron-builder.yml: Windows signing forced, update signatures verified against the publisher name, no certificate in the file', () => {
    const text = readFileSync('electron-builder.yml', 'utf8');
    const config = parse(text) as { win: Record<string, unknown> & { signtoolOptions: Record<string, unknown> } };
    expect(config.win).toMatchObject({ forceCodeSigning: true, verifyUpdateCodeSignature: true });
    expect(config.win.signtoolOptions.publisherName).toEqual(['Newborn Desk team']);
    expect(config.win.signtoolOptions).not.toHaveProperty('certificatePassword');
    expect(config.win.signtoolOptions).not.toHaveProperty('certificateFile');
  });
});
