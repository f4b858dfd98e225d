#!/usr/bin/env node
/**
 * `npm test`: the project's whole test command. Runs the static checks (types, lint, layout rules, Electron
 * security scan) and then every vitest suite (unit, reliability, end-to-end in a real browser), and ends with
 * the plain line `N passed, N failed` that CI counts (the skipped count on the line before it). Each static check counts as one test.
 *
 *   npm test                 everything
 *   npm test -- domain  vitest filters are passed through (static checks still run)
 *   SKIP_CHECKS=1 npm test   vitest only
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const outDir = path.join(root, 'test-results');
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function check(name, cmd, args) {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${[path.basename(cmd), ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status === 0) {
    passed += 1;
    console.log(`✔ ${name} (${secs} s)`);
  } else {
    failed += 1;
    failures.push(name);
    console.log(`✘ ${name} failed (exit ${r.status ?? r.signal}, ${secs} s)`);
  }
}

const vitestArgs = process.argv.slice(2);
if (!process.env.SKIP_CHECKS) {
  check('typecheck (node, web and e2e projects)', 'npm', ['run', '--silent', 'typecheck']);
  check('lint', bin('eslint'), ['--max-warnings=0', '.']);
  check('layout rules (dependency-cruiser)', bin('depcruise'), [
    '--config', '.dependency-cruiser.cjs', '--output-type', 'err',
    'domain', 'core', 'db', 'hardware', 'city-api', 'electron', 'renderer',
  ]);
  check('generated wire types current', bin('tsx'), ['city-api/gen-wire.ts', '--check']);
  if (existsSync(path.join(root, 'scripts', 'security-scan.mjs'))) {
    check('Electron security scan (electronegativity)', process.execPath, ['scripts/security-scan.mjs']);
  }
}

// Two runs: everything but the browser tests on two workers, then the browser tests one file at a time — two
// desks and two Chromiums side by side on a 2-core machine starved each other (CI runs lost typed characters and
// timed out on the serial reader's states that pass alone).
const E2E = 'test/e2e/';
// With arguments (`npm test -- <files>`) one run takes them as they are.
const runs = vitestArgs.length
  ? [{ name: 'vitest.json', args: [] }]
  : [
      { name: 'vitest.json', args: ['--exclude', `${E2E}**`] },
      { name: 'vitest-e2e.json', args: ['--maxWorkers=1', '--no-file-parallelism', E2E] },
    ];
for (const run of runs) {
  const report = path.join(outDir, run.name);
  rmSync(report, { force: true });
  console.log(`\n▶ vitest ${run.args.join(' ')}`);
  const r = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...run.args, ...vitestArgs], {
    stdio: 'inherit',
    env: process.env,
  });
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    passed += j.numPassedTests ?? 0;
    failed += j.numFailedTests ?? 0;
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    // A suite that fails to load (syntax error, missing module) has no tests: count it as a failure.
    const brokenSuites = (j.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0);
    for (const s of brokenSuites) failures.push(`suite failed to run: ${path.relative(root, s.name)}`);
    failed += brokenSuites.length;
    if (r.status !== 0 && (j.numFailedTests ?? 0) === 0 && brokenSuites.length === 0) {
      failures.push(`vitest exited ${r.status}`);
      failed += 1;
    }
  } else {
    failures.push(`vitest produced no report (${run.name})`);
    failed += 1;
  }
}

if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`\n${skipped} skipped (each prints its reason above)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
