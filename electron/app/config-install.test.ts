/**
 * Issue 13, items 2 and 3, with the real loader in packaged mode (what `runMain` passes as `app.isPackaged`):
 * IT's file at the platform's place is the only machine config; a missing hospitalCode is a config error; the
 * transport rules (https except loopback, no credentials in addresses, a readable CA file) are config errors
 * naming the key. IT's file at /etc/newborn-desk/config.json is served from a temp file through `readText`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadConfigOptions } from './config';

const PLATFORM_FILE = '/etc/newborn-desk/config.json';

function installed(itFile: unknown | null, extra: Partial<LoadConfigOptions> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-installed-'));
  const readText = (f: string): string | null => {
    if (f === PLATFORM_FILE) return itFile === null ? null : JSON.stringify(itFile);
    try {
      return readFileSync(f, 'utf8');
    } catch {
      return null;
    }
  };
  const attacker = path.join(dir, 'attacker.json');
  writeFileSync(attacker, JSON.stringify({ hospitalCode: 'WZ03', deskId: 'evil', kiosk: false, cityApi: { url: 'https://evil.invalid/', clientSecret: 'attacker-secret' } }));
  return { dir, attacker, load: (o: Partial<LoadConfigOptions>) => loadConfig({ packaged: true, platform: 'linux', readText, argv: [], env: {}, ...extra, ...o }) };
}

const IT = { hospitalCode: 'WZ07', deskId: 'obstetrics-2', kiosk: true, cityApi: { url: 'https://city.invalid/', clientSecret: 'it-secret-123' } };

describe("IT's file is the only machine config in an installed build", () => {
  it('--config=<file> is ignored when packaged: IT’s file stands, and the log says so', () => {
    const { attacker, load } = installed(IT);
    const r = load({ argv: ['newborn-desk', `--config=${attacker}`] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.file).toBe(PLATFORM_FILE);
    expect(r.config).toMatchObject({ hospitalCode: 'WZ07', kiosk: true, cityApi: { url: 'https://city.invalid/' } });
    expect(r.warnings.join('\n')).toMatch(/--config is ignored in an installed build/);
  });

  it('NEWBORN_DESK_CONFIG is ignored when packaged, even with no IT file (training defaults, not the named file)', () => {
    const { attacker, load } = installed(null);
    const r = load({ env: { NEWBORN_DESK_CONFIG: attacker } });
    expect(r.ok && r.source).toBe('built-in');
    expect(r.ok && r.config.cityApi).toBeNull();
    expect(r.ok && r.warnings.join('\n')).toMatch(/NEWBORN_DESK_CONFIG is ignored in an installed build/);
  });

  it('honoured when packaged only where IT’s file says "allowConfigOverride": true', () => {
    const { attacker, load } = installed({ ...IT, allowConfigOverride: true });
    const r = load({ argv: ['--config', attacker] });
    expect(r.ok && r.file).toBe(attacker);
    expect(r.ok && r.warnings.join('\n')).toMatch(/IT's file allows another config file/);
  });

  it('development builds still honour --config and the variable', () => {
    const { attacker, load } = installed(IT);
    const r = load({ packaged: false, argv: [`--config=${attacker}`] });
    expect(r.ok && r.config.deskId).toBe('evil');
  });

  it('an IT file without hospitalCode is a config error naming the key (it used to become WZ01)', () => {
    const { load } = installed({ deskId: 'd1', cityApi: { url: 'https://city.invalid/' } });
    const r = load({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([expect.objectContaining({ key: 'hospitalCode', got: 'nothing (the key is missing)' })]);
    expect(r.problems[0]!.expectedZh).toMatch(/本院代码/);
  });
});

describe('transport rules: refused as config errors before anything connects', () => {
  const bad = (cityApi: Record<string, unknown>, updates?: Record<string, unknown>) => {
    const { load } = installed({ hospitalCode: 'WZ07', deskId: 'd1', cityApi, ...(updates ? { updates } : {}) });
    const r = load({});
    if (r.ok) throw new Error('expected a config error');
    return Object.fromEntries(r.problems.map((p) => [p.key, p]));
  };

  it('plain http to a remote host, for the city API and for updates', () => {
    const p = bad({ url: 'http://city.invalid/' }, { url: 'http://updates.invalid/desk/' });
    expect(p['cityApi.url']!.expected).toMatch(/https:\/\//);
    expect(p['cityApi.url']!.expectedZh).toMatch(/https:\/\//);
    expect(p['updates.url']!.expected).toMatch(/https:\/\//);
  });

  it('a user name or password in an address (the password is never shown)', () => {
    const p = bad({ url: 'https://desk:hunter2@city.invalid/' }, { url: 'https://u:pw@updates.invalid/' });
    expect(p['cityApi.url']!.expected).toMatch(/without a user name or password/);
    expect(p['updates.url']!.expected).toMatch(/without a user name or password/);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('loopback may use http (127.0.0.0/8, ::1, localhost); 127-lookalike hosts may not', () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://127.5.6.7/', 'http://[::1]:9/', 'http://localhost:3000/']) {
      const { load } = installed({ hospitalCode: 'WZ07', deskId: 'd1', cityApi: { url } });
      expect(load({}).ok, url).toBe(true);
    }
    for (const url of ['http://127.0.0.1.invalid/', 'http://128.0.0.1/', 'http://[::2]/']) {
      expect(bad({ url })['cityApi.url'], url).toBeDefined();
    }
  });

  it('cityApi.caFile must be a readable PEM certificate, relative to IT’s file', () => {
    expect(bad({ url: 'https://city.invalid/', caFile: '/nonexistent/ca.pem' })['cityApi.caFile']!.got).toMatch(/no such file/);
    const { dir } = installed(null);
    const notPem = path.join(dir, 'ca.txt');
    writeFileSync(notPem, 'hello');
    expect(bad({ url: 'https://city.invalid/', caFile: notPem })['cityApi.caFile']!.expected).toMatch(/PEM/);
  });
});
