#!/usr/bin/env node
/**
 * Electron security scan: runs @doyensec/electronegativity (its runner, see `scan`) over the shell and the UI (electron/, renderer/,
 * package.json — the code that touches Electron's APIs; tests and build output are left out), for Electron 45.5.0,
 * offline, and fails on any HIGH or MEDIUM finding that `build/electronegativity-explained.json` does not list with
 * a reason. `npm test` runs it as one of its static checks.
 *
 *   node scripts/security-scan.mjs                 scan the project
 *   node scripts/security-scan.mjs --input <dir>   scan another folder as it is (tests use this)
 *
 * Offline: the check that downloads Electron's release list (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) is excluded —
 * the version is pinned with `-e` and upgrades are a deliberate change; the tool's translation download fails
 * within a second without network and is harmless.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ELECTRON_VERSION = '45.5.0';
export const EXPLAINED_FILE = path.join(ROOT, 'build', 'electronegativity-explained.json');
const SCANNED = ['electron', 'renderer', 'package.json'];
const BLOCKING = new Set(['HIGH', 'MEDIUM']);

/** Reads the explanations; each needs a check id and a reason (a file path prefix narrows it). */
export function loadExplained(file = EXPLAINED_FILE) {
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const list = Array.isArray(json.explained) ? json.explained : [];
  for (const [i, e] of list.entries()) {
    if (typeof e.check !== 'string' || !e.check || typeof e.reason !== 'string' || e.reason.trim().length < 10) {
      throw new Error(`${path.relative(ROOT, file)}: explained[${i}] needs "check" and a "reason" of at least 10 characters`);
    }
  }
  return list;
}

const matches = (e, f) => e.check === f.check && (!e.file || f.file === e.file || f.file.startsWith(e.file.endsWith('/') ? e.file : `${e.file}/`));

/** Splits findings into blocking (HIGH/MEDIUM, unexplained), explained, and the rest. */
export function evaluate(findings, explained) {
  const blocking = [];
  const accepted = [];
  const other = [];
  for (const f of findings) {
    const why = explained.find((e) => matches(e, f));
    if (!BLOCKING.has(f.severity)) other.push(f);
    else if (why) accepted.push({ ...f, reason: why.reason });
    else blocking.push(f);
  }
  const unused = explained.filter((e) => !findings.some((f) => matches(e, f)));
  return { blocking, accepted, other, unused };
}

/** Electronegativity's issue objects (from its runner) as plain findings. */
export function toFindings(issues, input) {
  return issues.map((i) => ({
    check: String(i.id),
    severity: String(i.severity?.name ?? '').toUpperCase(),
    confidence: String(i.confidence?.name ?? '').toUpperCase(),
    file: i.file && i.file !== 'N/A' ? path.relative(input, i.file).replace(/\\/g, '/') : 'N/A',
    location: i.location ? `${i.location.line}:${i.location.column}` : '',
    sample: i.sample ?? '',
    description: i.description ?? '',
  }));
}

/**
 * Runs electronegativity on a folder and returns its findings. Its own runner is called (the one its CLI calls,
 * with the same options as `-i <input> -e 45.5.0 -x AvailableSecurityFixesGlobalCheck`) rather than the CLI with
 * `-o report.csv`: the CLI writes the CSV header and the rows with two concurrent asynchronous writes, and the
 * header can overwrite the first row (seen here). Throws when the tool fails or cannot parse a file.
 */
export async function scan(input, { electronVersion = ELECTRON_VERSION } = {}) {
  const run = require('@doyensec/electronegativity');
  const quiet = console.log;
  console.log = () => {}; // its translation download reports its (expected, offline) failure on stdout
  let result;
  try {
    result = await run({
      input,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: ['availablesecurityfixesglobalcheck'],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: false,
      isVerbose: true,
      electronUpgrade: undefined,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    });
  } finally {
    console.log = quiet;
  }
  const broken = (result.errors ?? []).filter((e) => !e.tolerable);
  if (broken.length) throw new Error(`electronegativity could not parse: ${broken.map((e) => `${path.relative(input, e.file)} (${e.message})`).join('; ')}`);
  return toFindings(result.issues ?? [], input);
}

/** Copies the scanned part of the project (no tests, no build output) to a scratch folder. */
function stageProject() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-scan-'));
  for (const item of SCANNED) {
    const from = path.join(ROOT, item);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(dir, item), {
      recursive: true,
      filter: (src) => !/(^|[\\/])(node_modules|out|dist)([\\/]|$)/.test(path.relative(ROOT, src)) && !/\.test\.tsx?$/.test(src),
    });
  }
  return dir;
}

function show(f) {
  return `  ${f.severity.padEnd(13)} ${f.check}  ${f.file}:${f.location}${f.reason ? `\n      explained: ${f.reason}` : ''}`;
}

async function main() {
  const i = process.argv.indexOf('--input');
  const input = i > 0 ? path.resolve(process.argv[i + 1]) : stageProject();
  const started = Date.now();
  try {
    const findings = await scan(input);
    const { blocking, accepted, other, unused } = evaluate(findings, loadExplained());
    console.log(`electronegativity ${ELECTRON_VERSION}: ${findings.length} finding(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (other.length) console.log(`low / informational (not blocking):\n${other.map(show).join('\n')}`);
    if (accepted.length) console.log(`explained in build/electronegativity-explained.json:\n${accepted.map(show).join('\n')}`);
    for (const e of unused) console.log(`note: explanation for ${e.check}${e.file ? ` (${e.file})` : ''} matches no finding any more`);
    if (blocking.length) {
      console.error(`\nHIGH or MEDIUM findings without an explanation (fix them, or explain them in build/electronegativity-explained.json):\n${blocking.map(show).join('\n')}`);
      process.exitCode = 1;
    } else console.log('no unexplained HIGH or MEDIUM finding');
  } finally {
    if (i < 0) rmSync(input, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main().catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
