/**
 * What the loss anchor (db/anchor.ts) costs a submit: two stores side by side in one folder, one keeping the
 * anchor beside its key and one without (anchorFile: null), full bundles submitted alternately so both see the
 * same disk and the same load.  npx tsx bench/anchor-ab.ts [--submits 400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileKeyProvider, openStore } from '../db';
import { makeRegistration, makeRequests } from '../db/test-helpers';

const n = Number(process.argv[process.argv.indexOf('--submits') + 1]) || 400;
const dir = mkdtempSync(path.join(os.tmpdir(), 'nd-anchor-ab-'));
const withAnchor = await openStore({ file: path.join(dir, 'a.db'), keyProvider: new FileKeyProvider(path.join(dir, 'a.key')) });
const without = await openStore({ file: path.join(dir, 'b.db'), keyProvider: new FileKeyProvider(path.join(dir, 'b.key')), anchorFile: null });
const times = { anchor: [] as number[], none: [] as number[] };
for (let i = 0; i < n; i++) {
  for (const [kind, store] of i % 2 ? ([['none', without], ['anchor', withAnchor]] as const) : ([['anchor', withAnchor], ['none', without]] as const)) {
    const reg = makeRegistration(10_000 + i);
    const requests = makeRequests(reg);
    const t0 = performance.now();
    store.registrations.submit({ registration: reg, requests, actor: 'clerk-01' });
    times[kind].push(performance.now() - t0);
  }
  await new Promise((r) => setImmediate(r));
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!.toFixed(2);
for (const k of ['none', 'anchor'] as const) console.log(`submit ${k === 'anchor' ? 'with the anchor   ' : 'without an anchor '}: p50 ${q(times[k], 0.5)} ms, p99 ${q(times[k], 0.99)} ms (n=${n})`);
withAnchor.close();
without.close();
rmSync(dir, { recursive: true, force: true });
