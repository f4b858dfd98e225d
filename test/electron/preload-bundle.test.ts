/**
 * The bundled preload (out/electron/preload.cjs) in a bare VM context whose `require` knows only `electron`,
 * as a sandboxed preload's does: it must load with nothing else, and expose exactly `kiosk` and `deskShell`.
 * It carries names and a typed bridge, not zod or the schemas: under 20 KiB.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/methods';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildElectron } from '../../scripts/build-electron.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the bundled preload under sandbox rules', () => {
  beforeAll(async () => {
    await buildElectron({});
  }, 300_000);

  it('is small: names and a bridge, no zod, no schemas (under 20 KiB)', () => {
    const file = path.join(ROOT, 'out', 'electron', 'preload.cjs');
    expect(statSync(file).size / 1024).toBeLessThan(20);
    expect(readFileSync(file, 'utf8')).not.toMatch(/ZodError|safeParse/);
  });

  it('requires nothing but electron and exposes window.kiosk (one function per method + on) and window.deskShell', async () => {
    const exposed: Record<string, Record<string, unknown>> = {};
    const required: string[] = [];
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => (exposed[name] = api) },
      ipcRenderer: {
        invoke: async (...a: unknown[]) => (invoked.push(a), { ok: true, value: null }),
        on: () => {},
        removeListener: () => {},
      },
    };
    const sandbox = {
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
      module: { exports: {} },
      exports: {},
      console,
    };
    vm.runInNewContext(readFileSync(path.join(ROOT, 'out', 'electron', 'preload.cjs'), 'utf8'), sandbox, { filename: 'preload.cjs' });
    expect([...new Set(required)]).toEqual(['electron']);
    expect(Object.keys(exposed).sort()).toEqual(['deskShell', 'kiosk']);
    expect(Object.keys(exposed.kiosk!).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    await (exposed.kiosk!.getSession as (a: unknown) => Promise<unknown>)({});
    expect(invoked).toEqual([['kiosk:getSession', {}]]);
  });
});
