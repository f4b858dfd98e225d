/** The launchers' V8 code cache (code-cache.ts): written after a run, used by the next, ignored once the bundle changed. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWithCodeCache } from './code-cache';

const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const g = globalThis as { __codeCacheRuns?: string[] };

describe('runWithCodeCache', () => {
  it('runs the bundle as a CommonJS module, writes the cache beside it, uses it next time, and not once the bundle changed', async () => {
    const bundle = path.join(dir, 'x.bundle.cjs');
    writeFileSync(bundle, "(globalThis.__codeCacheRuns ??= []).push(__dirname + '|' + typeof require('node:path').join + '|' + typeof module.exports);\n");
    const first = runWithCodeCache(bundle, { writeAfterMs: 0 });
    expect(first).toEqual({ used: false, writes: `${bundle}.v8cache` });
    expect(g.__codeCacheRuns).toEqual([`${dir}|function|object`]);
    await expect.poll(() => existsSync(`${bundle}.v8cache`)).toBe(true);
    expect(readFileSync(`${bundle}.v8cache`).subarray(0, 65).toString('latin1')).toMatch(/^[0-9a-f]{64}\n$/);

    expect(runWithCodeCache(bundle, { writeAfterMs: 0 })).toEqual({ used: true, writes: null });
    expect(g.__codeCacheRuns).toHaveLength(2);

    // Same length, other text: the hash tells them apart (V8 itself checks only the length).
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace("'|' + typeof module", "'#' + typeof module"));
    expect(runWithCodeCache(bundle, { writeAfterMs: 60_000 }).used).toBe(false);
    expect(g.__codeCacheRuns![2]).toBe(`${dir}|function#object`);
  });
});
