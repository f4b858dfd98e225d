import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary, platformExecutable } from './electron-binary';

function fakeProject(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'desk-electron-bin-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

describe('findElectronBinary (never downloads)', () => {
  it('reports a missing electron package', () => {
    const root = fakeProject({});
    const r = findElectronBinary({ root, env: {}, platform: 'linux' });
    expect(r.found).toBe(false);
    if (!r.found) expect(r.reason).toMatch(/not installed/);
  });

  it('reports the package without its binary (the state on machines without internet), with the path it tried', () => {
    const root = fakeProject({ 'node_modules/electron/package.json': '{}' });
    const r = findElectronBinary({ root, env: {}, platform: 'linux' });
    expect(r.found).toBe(false);
    if (!r.found) {
      expect(r.tried).toEqual([path.join(root, 'node_modules/electron/dist/electron')]);
      expect(r.reason).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    }
  });

  it('finds dist/<path.txt> like electron/index.js', () => {
    const root = fakeProject({
      'node_modules/electron/package.json': '{}',
      'node_modules/electron/path.txt': 'electron',
      'node_modules/electron/dist/electron': '#!/bin/sh\n',
    });
    expect(findElectronBinary({ root, env: {}, platform: 'linux' })).toEqual({
      found: true,
      path: path.join(root, 'node_modules/electron/dist/electron'),
      via: 'dist',
    });
  });

  it('uses the platform default when path.txt is absent, and refuses a path.txt that leaves dist/', () => {
    const root = fakeProject({
      'node_modules/electron/package.json': '{}',
      'node_modules/electron/path.txt': '../../../bin/sh',
      'node_modules/electron/dist/electron.exe': 'MZ',
    });
    const r = findElectronBinary({ root, env: {}, platform: 'win32' });
    expect(r).toMatchObject({ found: true, via: 'dist' });
    if (r.found) expect(r.path.endsWith(path.join('dist', 'electron.exe'))).toBe(true);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, and says so when it points nowhere', () => {
    const root = fakeProject({ 'node_modules/electron/package.json': '{}', 'elsewhere/electron': 'x' });
    const ok = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'elsewhere') }, platform: 'linux' });
    expect(ok).toEqual({ found: true, path: path.join(root, 'elsewhere', 'electron'), via: 'override' });
    const bad = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'nowhere') }, platform: 'linux' });
    expect(bad.found).toBe(false);
    if (!bad.found) expect(bad.reason).toMatch(/ELECTRON_OVERRIDE_DIST_PATH is set/);
  });

  it('knows the executable name per platform', () => {
    expect(platformExecutable('linux')).toBe('electron');
    expect(platformExecutable('win32')).toBe('electron.exe');
    expect(platformExecutable('darwin')).toBe('Electron.app/Contents/MacOS/Electron');
    expect(platformExecutable('aix')).toBeNull();
  });

  it('on this machine it answers without throwing or downloading', () => {
    const r = findElectronBinary({ root: process.cwd() });
    expect(typeof r.found).toBe('boolean');
  });
});
