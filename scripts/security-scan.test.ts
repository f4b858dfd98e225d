import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs script without type declarations
import { evaluate, loadExplained, scan, toFindings } from './security-scan.mjs';

type Finding = { check: string; severity: string; file: string };

describe('security scan: deciding what blocks', () => {
  it('turns electronegativity’s issue objects into plain findings with project-relative paths', () => {
    const sev = (name: string) => ({ name, value: 0 });
    const f = toFindings(
      [
        { id: 'SANDBOX_JS_CHECK', severity: sev('medium'), confidence: sev('firm'), file: '/scan/electron/main/x.ts', location: { line: 3, column: 4 }, sample: 's', description: 'd' },
        { id: 'LIMIT_NAVIGATION_GLOBAL_CHECK', severity: sev('HIGH'), confidence: sev('CERTAIN'), file: 'N/A', location: { line: 0, column: 0 } },
      ],
      '/scan',
    ) as Finding[];
    expect(f).toEqual([
      { check: 'SANDBOX_JS_CHECK', severity: 'MEDIUM', confidence: 'FIRM', file: 'electron/main/x.ts', location: '3:4', sample: 's', description: 'd' },
      { check: 'LIMIT_NAVIGATION_GLOBAL_CHECK', severity: 'HIGH', confidence: 'CERTAIN', file: 'N/A', location: '0:0', sample: '', description: '' },
    ]);
  });

  it('blocks unexplained HIGH and MEDIUM findings only; explanations match by check and file', () => {
    const findings: Finding[] = [
      { check: 'A_CHECK', severity: 'HIGH', file: 'electron/main/a.ts' },
      { check: 'B_CHECK', severity: 'MEDIUM', file: 'renderer/b.tsx' },
      { check: 'B_CHECK', severity: 'MEDIUM', file: 'electron/preload/b.ts' },
      { check: 'C_CHECK', severity: 'LOW', file: 'renderer/index.html' },
    ];
    const r = evaluate(findings, [
      { check: 'B_CHECK', file: 'renderer', reason: 'a reason long enough' },
      { check: 'GONE_CHECK', reason: 'no longer found anywhere' },
    ]);
    expect(r.blocking.map((f: Finding) => `${f.check}@${f.file}`)).toEqual(['A_CHECK@electron/main/a.ts', 'B_CHECK@electron/preload/b.ts']);
    expect(r.accepted).toHaveLength(1);
    expect(r.other).toHaveLength(1);
    expect(r.unused.map((e: { check: string }) => e.check)).toEqual(['GONE_CHECK']);
  });

  it('the shipped explanations all carry a reason', () => {
    for (const e of loadExplained()) expect(e.reason.length).toBeGreaterThan(10);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'explained-'));
    writeFileSync(path.join(dir, 'x.json'), JSON.stringify({ explained: [{ check: 'X' }] }));
    expect(() => loadExplained(path.join(dir, 'x.json'))).toThrow(/reason/);
  });
});

describe('security scan: the real tool', () => {
  it('finds an insecure window, missing navigation limits and permission handler (so the scan is not a no-op)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'insecure-app-'));
    mkdirSync(path.join(dir, 'main'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'insecure', main: 'main/index.js', devDependencies: { electron: '45.5.0' } }));
    writeFileSync(
      path.join(dir, 'main', 'index.js'),
      `const { app, BrowserWindow } = require('electron');
app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });
  win.loadURL('http://example.com/');
});
`,
    );
    const findings = (await scan(dir)) as Finding[];
    const blocking = evaluate(findings, []).blocking as Finding[];
    const checks = blocking.map((f) => f.check);
    expect(checks).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'HTTP_RESOURCES_JS_CHECK']),
    );
    expect(blocking.find((f) => f.check === 'SANDBOX_JS_CHECK')?.file).toBe('main/index.js');
  }, 120_000);
});
