/**
 * The renderer's weight and the clerk's figures.
 *  - `renderer_js_gz_kb`: the JS the first screen loads, gzipped — the entry chunk plus the chunks it imports
 *    statically (from Vite's manifest); lazy screens (search, detail, diagnostics, settings, receipt) are left
 *    out, as they load on demand. Goal ≤ 300 KB.
 *  - `e2e_actions` and `card_event_to_fields_ms` (the flow's `card_to_fields_ms`: card event in the page → fields): copied from `test-results/e2e-figures.json`, written by the e2e desk
 *    flow (`test/e2e/flow.test.ts`); the flow is run first when the file is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { recordResults } from './results';
import { PROJECT_ROOT } from '../electron/browser-mode/build';
import { FIGURES_FILE } from '../test/e2e/harness';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const outDir = path.join(PROJECT_ROOT, 'out', 'renderer-bench');
await build({
  configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir, emptyOutDir: true, manifest: 'manifest.json' },
});
const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
const initial = new Set<string>();
const visit = (key: string) => {
  const c = manifest[key];
  if (!c || initial.has(c.file)) return;
  initial.add(c.file);
  for (const i of c.imports ?? []) visit(i);
};
for (const [key, c] of Object.entries(manifest)) if (c.isEntry) visit(key);
let raw = 0;
let gz = 0;
for (const f of initial) {
  const bytes = readFileSync(path.join(outDir, f));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const lazy = Object.values(manifest).filter((c) => !initial.has(c.file) && c.file.endsWith('.js')).map((c) => c.file);
const kb = gz / 1024;
console.log(`renderer initial JS: ${[...initial].join(', ')}: ${(raw / 1024).toFixed(1)} KB raw, ${kb.toFixed(1)} KB gzipped (goal ≤ 300 KB)`);
console.log(`lazy-loaded chunks: ${lazy.length} (${lazy.map((f) => path.basename(f)).join(', ')})`);

if (!existsSync(FIGURES_FILE)) {
  console.log('test-results/e2e-figures.json is absent: running the e2e desk flow first…');
  const r = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'vitest'), ['run', 'test/e2e/flow.test.ts', '-t', 'registers a newborn'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(FIGURES_FILE)) {
    console.log('the e2e flow did not produce its figures (Chromium missing or the flow failed): recording the size only');
  }
}
const figures: Record<string, number> = { renderer_js_gz_kb: kb };
if (existsSync(FIGURES_FILE)) {
  const f = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>;
  if (typeof f.e2e_actions === 'number') figures.e2e_actions = f.e2e_actions;
  // Page side only (event in the page → fields); the device figure `card_to_fields_ms` (pty → fields) is bench/devices.bench.ts's.
  if (typeof f.card_to_fields_ms === 'number') figures.card_event_to_fields_ms = f.card_to_fields_ms;
  // bundle area (issue 12): a typed mother (no card) with all five services, from test/e2e/bundle.test.ts (goal ≤ 20)
  if (typeof f.e2e_actions_typed_mother === 'number') figures.e2e_actions_typed_mother = f.e2e_actions_typed_mother;
  console.log(`e2e: ${String(f.e2e_actions)} clerk actions for a five-service bundle with two ID cards (goal ≤ 12); card event → filled fields ${String(f.card_to_fields_ms)} ms (goal ≤ 50 ms)`);
}
recordResults(figures);
console.log(JSON.stringify(figures));
