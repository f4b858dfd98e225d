/**
 * Runs a built CommonJS bundle through V8's code cache, so a start does not compile the whole bundle again (on
 * this kind of machine about a third of browser mode's start was compiling its three bundles). Node 20 has no
 * `module.enableCompileCache()` (22.1+); this does the same for one file: the launchers scripts/build-electron.mjs
 * writes (out/browser/main.cjs, sync-thread.cjs, city-thread.cjs) each call it for their `*.bundle.cjs`.
 *
 * The cache sits beside the bundle (`<bundle>.v8cache`): the SHA-256 of the bundle's text, a newline, then V8's
 * data. It is written a few seconds after the start (so it holds the functions the start compiled), replaced when
 * the bundle changed or V8 refused it (another Node version or flags), and never needed: a missing, stale or
 * unwritable cache only means compiling as usual.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import vm from 'node:vm';

export interface CodeCacheRun {
  /** A cache for this very bundle was found and V8 took it. */
  used: boolean;
  /** The cache file written (or to be written), when there was none to use. */
  writes: string | null;
}

const HASH_LENGTH = 64;

export function runWithCodeCache(file: string, opts: { writeAfterMs?: number } = {}): CodeCacheRun {
  const source = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(source).digest('hex');
  const cacheFile = `${file}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    const buf = readFileSync(cacheFile);
    if (buf.subarray(0, HASH_LENGTH).toString('latin1') === hash) cachedData = buf.subarray(HASH_LENGTH + 1);
  } catch {
    /* no cache yet */
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const used = !!cachedData && !script.cachedDataRejected;

  let writes: string | null = null;
  if (!used) {
    writes = cacheFile;
    const write = () => {
      const tmp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
      try {
        writeFileSync(tmp, Buffer.concat([Buffer.from(`${hash}\n`, 'latin1'), script.createCachedData()]));
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true }); // a read-only install: compile as usual next time
      }
    };
    const timer = setTimeout(write, opts.writeAfterMs ?? 4000);
    timer.unref();
  }

  const mod = new Module(file);
  mod.filename = file;
  const fn = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return { used, writes };
}
