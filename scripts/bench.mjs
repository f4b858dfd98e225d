#!/usr/bin/env node
/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (each prints its figures and merges them into
 * `bench/results.json`), then prints the whole results file. `npm run bench -- store` runs the matching ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filter = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const f of benches) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join('bench', f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed += 1;
    console.log(`!!! ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
const results = path.join(root, 'bench', 'results.json');
if (existsSync(results)) {
  console.log('\n=== bench/results.json ===');
  console.log(readFileSync(results, 'utf8'));
}
process.exit(failed ? 1 : 0);
