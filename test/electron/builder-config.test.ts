import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { getCurrentFuseWire } from '@electron/fuses';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import { MAIN_EXTERNALS, NATIVE_MODULES } from '../../scripts/build-electron.mjs';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- electron-builder's own shape, validated by its schema below
const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own schema (app-builder-lib/scheme.json)', () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(ok, JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema really checks: a typo is refused.
    expect(validate({ ...config, nsis: { ...config.nsis, oneclick: false } })).toBe(false);
  });

  it('Windows: per-machine NSIS that is not one-click (silent with /S), and a per-machine MSI with a fixed upgrade code', () => {
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, deleteAppDataOnUninstall: false });
    expect(config.msi).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('Linux: deb depending on libusb-1.0-0 with a postinst that installs the udev rule and reloads udev; AppImage', () => {
    expect(config.linux.target.map((t: { target: string }) => t.target)).toEqual(['deb', 'AppImage']);
    expect(config.deb.depends).toContain('libusb-1.0-0');
    const rule = config.linux.extraResources.find((r: { from: string }) => r.from === 'build/linux/70-newborn-desk.rules');
    expect(rule?.to).toBe('linux/70-newborn-desk.rules');
    const postinst = readFileSync(config.deb.afterInstall, 'utf8');
    expect(postinst).toContain("RULES_SOURCE='/opt/${sanitizedProductName}/resources/linux/70-newborn-desk.rules'");
    expect(postinst).toContain('/etc/udev/rules.d/70-newborn-desk.rules');
    expect(postinst).toMatch(/udevadm control --reload-rules/);
    expect(postinst).toMatch(/udevadm trigger/);
    expect(readFileSync(config.deb.afterRemove, 'utf8')).toMatch(/remove\|purge\)[\s\S]*rm -f \/etc\/udev\/rules\.d\/70-newborn-desk\.rules/);
  });

  it('native modules are unpacked from asar, rebuilt for Electron at packaging only, and kept external by esbuild', () => {
    expect(config.npmRebuild).toBe(true);
    for (const m of NATIVE_MODULES as string[]) {
      const covered = (config.asarUnpack as string[]).some((g) => g.endsWith('/**') && `node_modules/${m}/build/x.node`.startsWith(g.slice(0, -2)));
      expect(covered, m).toBe(true);
      expect(MAIN_EXTERNALS, m).toContain(m);
    }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(Object.keys(pkg.scripts ?? {})).not.toContain('postinstall');
    expect(pkg.main).toBe('out/electron/main.cjs');
  });

  it('printing on Windows: pdf-to-printer stays external and its bundled SumatraPDF.exe is unpacked from asar', () => {
    expect(MAIN_EXTERNALS).toContain('pdf-to-printer');
    expect(config.asarUnpack).toContain('node_modules/pdf-to-printer/dist/*.exe');
    expect(readdirSync('node_modules/pdf-to-printer/dist').some((f) => f.endsWith('.exe'))).toBe(true);
  });

  it('every file it names exists; updates use the generic provider', () => {
    for (const f of [config.afterPack, config.deb.afterInstall, config.deb.afterRemove, ...config.extraResources.map((r: { from: string }) => r.from)]) {
      expect(existsSync(f), f).toBe(true);
    }
    expect(config.publish[0].provider).toBe('generic');
  });
});

describe('afterPack: Electron fuses', () => {
  it('flips the fuses in the packed executable as required', async () => {
    const { default: afterPack, FUSES } = require('../../build/after-pack.cjs');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-fuses-'));
    // A stand-in executable with Electron's fuse wire (sentinel, version 1, 8 fuses) at Electron's defaults.
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    const defaults = Buffer.from('10110001'); // RunAsNode, Cookie, NODE_OPTIONS, inspect, integrity, asar-only, v8, file
    writeFileSync(path.join(dir, 'newborn-desk'), Buffer.concat([Buffer.alloc(64, 7), sentinel, Buffer.from([1, 8]), defaults, Buffer.alloc(64, 7)]));
    await afterPack({ electronPlatformName: 'linux', appOutDir: dir, arch: 1, packager: { appInfo: { productFilename: 'NewbornDesk' }, executableName: 'newborn-desk' } });
    const wire = await getCurrentFuseWire(path.join(dir, 'newborn-desk'));
    const on = 49;
    const off = 48;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => (wire as Record<number, number>)[i])).toEqual([off, on, off, off, on, on, off, off]);
    expect(FUSES.version).toBe('1');
  });
});
