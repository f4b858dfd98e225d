/**
 * The Electron shell's own figures, measured on the real bundles (out/electron) with fake Electron objects
 * (test/electron/fixtures): bundle sizes (`preload_kb`: the preload, in KiB); main process start (require → desk open → window loading app://desk/);
 * one KioskApi call over the IPC handler through the real dispatcher (p50/p95 of 500 `getSyncStatus`); one app://
 * request for index.html; orderly quit (sync stopped, database closed). Medians of 5 runs, each in a fresh folder.
 *
 *   npx tsx bench/shell.bench.ts      (or `npm run bench -- shell`)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleRegistrationInput } from '../domain/fixtures';
import { ensureRendererBuilt } from '../electron/browser-mode/build';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildElectron } from '../scripts/build-electron.mjs';
import { percentile, recordResults } from './results';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await ensureRendererBuilt();
await buildElectron({});

const runs: Array<Record<string, number>> = [];
for (let i = 0; i < 5; i += 1) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-shell-bench-'));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ hospitalCode: 'WZ01', deskId: 'bench' }));
  writeFileSync(path.join(dir, 'reg.json'), JSON.stringify(sampleRegistrationInput()));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test/electron/fixtures/run-main-bundle.cjs'), ROOT, 'bench', path.join(dir, 'reg.json')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NEWBORN_DESK_USER_DATA: path.join(dir, 'userData'), NEWBORN_DESK_CONFIG: path.join(dir, 'config.json') },
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`no result:\n${r.stdout}\n${r.stderr}`);
  runs.push(JSON.parse(line.slice(7)));
}
const median = (k: string) => percentile(runs.map((x) => x[k]!), 50);
const kib = (f: string) => statSync(path.join(ROOT, 'out', 'electron', f)).size / 1024;
const figures = {
  'shell.main_bundle_kib': kib('main.cjs'),
  /** The sandboxed preload: names and a typed bridge, never zod or the schemas (must stay under 20 KiB). */
  preload_kb: kib('preload.cjs'),
  'shell.main_start_to_window_ms': median('startMs'),
  'shell.ipc_call_p50_ms': median('ipcP50Ms'),
  'shell.ipc_call_p95_ms': median('ipcP95Ms'),
  'shell.app_scheme_index_ms': median('appSchemeMs'),
  'shell.quit_ms': median('quitMs'),
};
for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(34)} ${v.toFixed(2)}`);
recordResults(figures);
