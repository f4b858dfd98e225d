/**
 * The hosts start the sync entry with its heap bounded (SYNC_HEAP): a real worker thread and a real child process
 * run a probe entry that reports V8's heap limit over the same channel the sync entry uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { nodeProcessHost, nodeThreadHost } from './node-thread-host';
import { SYNC_HEAP, type FromThread, type SyncThreadHost } from './thread-protocol';

const dir = mkdtempSync(path.join(tmpdir(), 'heap-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const probe = path.join(dir, 'probe.cjs');
writeFileSync(
  probe,
  `const { parentPort } = require('node:worker_threads');
const v8 = require('node:v8');
const msg = { type: 'log', level: 'info', message: 'heap', meta: { limitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 } };
if (parentPort) parentPort.postMessage(msg); else process.send(msg, () => process.exit(0));
`,
);

async function reportedLimitMb(host: SyncThreadHost): Promise<number> {
  const ch = host.spawn();
  try {
    return await new Promise<number>((resolve, reject) => {
      ch.onMessage((m: FromThread) => (m.type === 'log' ? resolve(Number(m.meta?.limitMb)) : undefined));
      ch.onExit((code) => reject(new Error(`probe exited (${code}) before it reported`)));
    });
  } finally {
    ch.kill();
  }
}

// V8's limit is old generation + young generation (+ a little): unbounded it is well over 1 GiB on this machine.
const bound = SYNC_HEAP.maxOldGenerationSizeMb + 3 * SYNC_HEAP.semiSpaceMb + 8;

it('a worker thread runs with the bounded heap', async () => {
  const mb = await reportedLimitMb(nodeThreadHost(probe));
  expect(mb).toBeGreaterThanOrEqual(SYNC_HEAP.maxOldGenerationSizeMb);
  expect(mb).toBeLessThanOrEqual(bound);
});

it('a child process runs with the bounded heap', async () => {
  const mb = await reportedLimitMb(nodeProcessHost(probe));
  expect(mb).toBeGreaterThanOrEqual(SYNC_HEAP.maxOldGenerationSizeMb);
  expect(mb).toBeLessThanOrEqual(bound);
});
