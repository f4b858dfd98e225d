/**
 * Runs the sync engine over one desk database until its queue is empty (nothing `queued` or `sending`), as its
 * own process — the crash test kills it with SIGKILL at random moments and starts it again.
 *
 *   node --import tsx core/sync/worker.ts --db desk.db --key-file desk.key --url http://127.0.0.1:8787 \
 *        --client-id H001:desk-1 [--timeout-ms 2000] [--max-items 50] [--max-bytes 262144] \
 *        [--lease-owner worker] [--concurrency 2] [--idle-ms 50] [--max-seconds 600]
 *
 * The city secret comes from the environment (SYNC_CITY_SECRET), never the command line. Prints `ready` once
 * the store is open, then one JSON line with the final counts. Exit 0: queue empty; 1: gave up after
 * --max-seconds; 2: bad arguments; 3: the city refused the desk's protocol (upgrade needed).
 */
import { parseArgs } from 'node:util';
import { FileKeyProvider } from '../../db/key-provider';
import { openStore } from '../../db/store';
import type { Logger } from '../api/ports';
import { createSyncEngine } from './engine';

function fail(message: string): never {
  process.stderr.write(`sync worker: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'key-file': { type: 'string' },
    url: { type: 'string' },
    'client-id': { type: 'string' },
    'timeout-ms': { type: 'string' },
    'max-items': { type: 'string' },
    'max-bytes': { type: 'string' },
    'lease-owner': { type: 'string' },
    concurrency: { type: 'string' },
    'idle-ms': { type: 'string' },
    'max-seconds': { type: 'string' },
    verbose: { type: 'boolean' },
  },
  strict: true,
});

const num = (name: string, fallback: number): number => {
  const text = values[name as keyof typeof values];
  if (text === undefined) return fallback;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) fail(`--${name} must be a whole number`);
  return Number(text);
};

if (!values.db || !values['key-file'] || !values.url || !values['client-id']) fail('--db, --key-file, --url and --client-id are required');
const secret = process.env.SYNC_CITY_SECRET;
if (!secret) fail('set SYNC_CITY_SECRET');

const logger: Logger = {
  debug() {},
  info: (m, meta) => values.verbose && process.stderr.write(`info ${m} ${JSON.stringify(meta ?? {})}\n`),
  warn: (m, meta) => values.verbose && process.stderr.write(`warn ${m} ${JSON.stringify(meta ?? {})}\n`),
  error: (m, meta) => process.stderr.write(`error ${m} ${JSON.stringify(meta ?? {})}\n`),
};

const store = await openStore({ file: values.db, keyProvider: new FileKeyProvider(values['key-file']) });
const engine = createSyncEngine({
  store,
  events: { emit() {} },
  cityApi: { url: values.url, clientId: values['client-id'], secret, timeoutMs: num('timeout-ms', 2000) },
  batch: { maxItems: num('max-items', 50), maxBytes: num('max-bytes', 256 * 1024) },
  intervalMs: 1000,
  concurrency: num('concurrency', 2),
  logger,
  ...(values['lease-owner'] ? { leaseOwner: values['lease-owner'] } : {}),
});
// start() takes back the leases a killed predecessor with the same owner left; the loop below drives cycles.
engine.start();
process.stdout.write('ready\n');

const idleMs = num('idle-ms', 50);
const deadline = Date.now() + num('max-seconds', 600) * 1000;
let code = 1;
for (;;) {
  const s = await engine.syncNow();
  if (s.queueDepth === 0) {
    code = 0;
    break;
  }
  if (engine.needsUpgrade()) {
    code = 3;
    break;
  }
  if (Date.now() > deadline) break;
  await new Promise((r) => setTimeout(r, idleMs));
}
await engine.stop();
const counts = store.requests.countByState();
store.close();
process.stdout.write(`${JSON.stringify({ done: code === 0, counts })}\n`);
process.exit(code);
