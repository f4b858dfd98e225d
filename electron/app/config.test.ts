import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeskConfigSchema } from '../../core/config/schema';
import { configArgument, defaultConfigPath, loadConfig, resolveConfigPath, saveUserPreference } from './config';
import { configErrorCsp, renderConfigErrorPage } from './config-error';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'desk-config-'));
function writeJson(dir: string, name: string, value: unknown): string {
  const p = path.join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
}

describe('where IT’s file is', () => {
  it('is the platform place by default', () => {
    expect(defaultConfigPath('linux', {})).toBe('/etc/newborn-desk/config.json');
    expect(defaultConfigPath('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\NewbornDesk\\config.json');
    expect(defaultConfigPath('win32', {})).toBe('C:\\ProgramData\\NewbornDesk\\config.json');
  });
  it('--config wins over NEWBORN_DESK_CONFIG, which wins over the default', () => {
    expect(configArgument(['electron', '.', '--config=/x/c.json'])).toBe('/x/c.json');
    expect(configArgument(['--config', '/y/c.json'])).toBe('/y/c.json');
    expect(configArgument(['--config'])).toBeNull();
    expect(resolveConfigPath({ argv: ['--config=/a.json'], env: { NEWBORN_DESK_CONFIG: '/b.json' } })).toEqual({ file: '/a.json', via: 'argument' });
    expect(resolveConfigPath({ argv: [], env: { NEWBORN_DESK_CONFIG: '/b.json' } })).toEqual({ file: '/b.json', via: 'env' });
    expect(resolveConfigPath({ argv: [], env: {}, platform: 'linux' }).via).toBe('default');
  });
});

describe('loadConfig', () => {
  it('no file at the platform place: built-in training defaults', () => {
    const r = loadConfig({ readText: () => null, env: {}, argv: [], platform: 'linux' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toBe('built-in');
    expect(r.config.cityApi).toBeNull();
    expect(r.config.hospitalCode).toBe('WZ01');
    expect(r.lockedKeys).toEqual([]);
    expect(r.layers.language).toBe('default');
  });

  it('a file named explicitly must exist', () => {
    const r = loadConfig({ file: '/nonexistent/desk.json', env: {} });
    expect(r).toMatchObject({ ok: false, problems: [{ key: '(file)', got: 'no such file' }] });
  });

  it('IT’s keys are locked; the user’s preferences apply only to open USER_SETTABLE_KEYS', () => {
    const dir = tmp();
    const file = writeJson(dir, 'config.json', { $schema: './config.schema.json', hospitalCode: 'WZ07', deskId: 'd2', language: 'en', kiosk: true });
    const userFile = writeJson(dir, 'prefs.json', { language: 'zh-CN', idleLockMinutes: 9, kiosk: false, printer: { copies: 99 } });
    const r = loadConfig({ file, userFile, env: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.source).toBe('machine');
    expect(r.config.language).toBe('en'); // IT's value stands
    expect(r.config.idleLockMinutes).toBe(9); // open to the user
    expect(r.config.kiosk).toBe(true); // not a user key
    expect(r.config.printer.copies).toBe(1); // invalid preference dropped
    expect(r.layers).toMatchObject({ language: 'machine', idleLockMinutes: 'user', kiosk: 'machine', printer: 'default' });
    expect(r.lockedKeys.sort()).toEqual(['deskId', 'hospitalCode', 'kiosk', 'language']);
    expect(r.warnings.join('\n')).toMatch(/"language" is set by IT/);
    expect(r.warnings.join('\n')).toMatch(/"kiosk" is not a user setting/);
    expect(r.warnings.join('\n')).toMatch(/"printer" is not valid/);
  });

  it('lists every bad key with what it expects and what it got (secrets hidden), and applies nothing', () => {
    const dir = tmp();
    const file = writeJson(dir, 'config.json', {
      hospitalCode: 'XX1',
      deskId: 'desk 1',
      cityApi: { url: 'ftp://city', clientSecret: 'short' },
      idleLockMinutes: 0,
      kiosk: 'yes',
      language: 'fr',
      printr: {},
    });
    const r = loadConfig({ file, env: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byKey = Object.fromEntries(r.problems.map((p) => [p.key, p]));
    expect(Object.keys(byKey).sort()).toEqual(
      ['cityApi.clientSecret', 'cityApi.url', 'deskId', 'hospitalCode', 'idleLockMinutes', 'kiosk', 'language', 'printr'].sort(),
    );
    expect(byKey.hospitalCode).toMatchObject({ expected: 'a hospital code like WZ01', got: '"XX1"' });
    expect(byKey.idleLockMinutes).toMatchObject({ expected: 'at least 1', got: '0' });
    expect(byKey.kiosk).toMatchObject({ expected: 'a boolean', got: '"yes"' });
    expect(byKey.language!.expected).toBe('one of "zh-CN", "en"');
    expect(byKey['cityApi.url']!.expected).toMatch(/http:\/\/ or https:\/\//);
    expect(byKey['cityApi.clientSecret']!.got).toBe('(hidden)');
    expect(JSON.stringify(r.problems)).not.toContain('short');
    expect(byKey.printr!.expected).toMatch(/no such setting/);
    for (const p of r.problems) expect(p.expectedZh.length).toBeGreaterThan(0);
  });

  it('a file that is not JSON, or not an object, is one clear problem', () => {
    const dir = tmp();
    const bad = loadConfig({ file: writeJson(dir, 'a.json', '{ "hospitalCode": "WZ01", }'), env: {} });
    expect(bad).toMatchObject({ ok: false, problems: [{ key: '(file)', expected: 'valid JSON' }] });
    const arr = loadConfig({ file: writeJson(dir, 'b.json', '[1,2]'), env: {} });
    expect(arr).toMatchObject({ ok: false, problems: [{ key: '(file)', got: '[1,2]' }] });
    // Notepad's byte-order mark is accepted.
    const bom = loadConfig({ file: writeJson(dir, 'c.json', '\uFEFF{"hospitalCode":"WZ01","deskId":"d9"}'), env: {} });
    expect(bom.ok && bom.config.deskId).toBe('d9');
  });

  it('NEWBORN_DESK_OVERRIDES applies in development and is ignored in a packaged build', () => {
    const env = { NEWBORN_DESK_OVERRIDES: '{"kiosk":true}' };
    const dev = loadConfig({ readText: () => null, env, argv: [], platform: 'linux' });
    const packaged = loadConfig({ readText: () => null, env, argv: [], platform: 'linux', packaged: true });
    expect(dev.ok && dev.config.kiosk).toBe(true);
    expect(packaged.ok && packaged.config.kiosk).toBe(false);
    expect(packaged.ok && packaged.warnings[0]).toMatch(/ignored in an installed build/);
  });

  it('whatever the file holds, loadConfig answers with a config or a problem list, never throws', () => {
    const dir = tmp();
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const file = writeJson(dir, 'fuzz.json', JSON.stringify(v));
        const r = loadConfig({ file, env: {} });
        if (r.ok) expect(DeskConfigSchema.safeParse(r.config).success).toBe(true);
        else expect(r.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('the shipped example is a valid file', () => {
    const r = loadConfig({ file: path.join(process.cwd(), 'build', 'config.example.json'), env: {} });
    expect(r.ok).toBe(true);
  });
});

describe('saveUserPreference', () => {
  it('saves open keys, refuses locked, unknown and invalid ones', () => {
    const dir = tmp();
    const userFile = path.join(dir, 'sub', 'preferences.json');
    expect(saveUserPreference(userFile, 'language', 'en', [])).toEqual({ ok: true });
    expect(saveUserPreference(userFile, 'idleLockMinutes', 3, ['language'])).toEqual({ ok: true });
    expect(saveUserPreference(userFile, 'language', 'zh-CN', ['language'])).toMatchObject({ ok: false, reason: 'locked_by_it' });
    expect(saveUserPreference(userFile, 'kiosk', false, [])).toMatchObject({ ok: false, reason: 'not_user_settable' });
    expect(saveUserPreference(userFile, 'idleLockMinutes', 500, [])).toMatchObject({ ok: false, reason: 'invalid' });
    expect(JSON.parse(readFileSync(userFile, 'utf8'))).toEqual({ language: 'en', idleLockMinutes: 3 });
    const r = loadConfig({ readText: (f) => (f === userFile ? readFileSync(f, 'utf8') : null), userFile, env: {}, argv: [], platform: 'linux' });
    expect(r.ok && r.config.language).toBe('en');
  });
});

describe('the config error screen', () => {
  it('lists each bad key, what it expects and what it got, in both languages, escaped, with its own CSP', () => {
    const dir = tmp();
    const file = writeJson(dir, 'config.json', { hospitalCode: '<script>alert(1)</script>', idleLockMinutes: 99, kiosk: 1 });
    const r = loadConfig({ file, env: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const html = renderConfigErrorPage({ file: r.file, problems: r.problems });
    for (const p of r.problems) expect(html).toContain(`<td class="key">${p.key}</td>`);
    expect(html).toContain('at most 60');
    expect(html).toContain('不超过 60');
    expect(html).toContain('配置文件有误');
    expect(html).toContain('The configuration file has errors');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script/i);
    const csp = configErrorCsp();
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).toContain(csp.replace(/'/g, '&#39;'));
  });
});
