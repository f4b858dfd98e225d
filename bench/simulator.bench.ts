/**
 * The city-api simulator's own ceiling: autocannon on loopback against POST /v1/requests:batch, every request a
 * batch of 100 fresh items (unique idempotency keys made in autocannon's setupRequest hook), for ~5 s.
 *
 *   npx tsx bench/simulator.bench.ts [--seconds 5] [--connections 8]
 *
 * The simulator runs in its own process (tsx city-api/main.ts --quiet) so the load generator does not share its
 * event loop; it keeps its default training review clock (2 s / 5 s), so the periodic review tick runs during
 * the load as it would in training. Afterwards the simulator's SQLite file is counted: every item answered
 * 200 must be stored, and no key twice. Records `simulator_ceiling_rps` (items per second) and
 * `simulator_batch_p99_ms` in bench/results.json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { basePayload, spawnSimulator } from '../city-api/testkit';
import { recordResults } from './results';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  throughput: { average: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' } } });
const seconds = Number(values.seconds ?? 5);
const connections = Number(values.connections ?? 8);
const BATCH = 100;

const dir = mkdtempSync(path.join(tmpdir(), 'city-api-bench-'));
const dataFile = path.join(dir, 'city.sqlite');
const sim = await spawnSimulator(['--data', dataFile, '--admin-token', 'bench', '--quiet']);

try {
  const url = sim.url;

  const tokenRes = await fetch(`${url}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'X-Client-Protocol': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=H001:bench&client_secret=x',
  });
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };

  // One item template; only the keys and ids change per item, so building a body costs little client CPU.
  const payloadJson = JSON.stringify(basePayload());
  const services = ['birth_certificate', 'vaccination'];
  const runId = Date.now().toString(36);
  let n = 0;
  const makeBody = (): string => {
    const parts: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      n += 1;
      parts.push(
        `{"idempotencyKey":"b-${runId}-${n}","requestId":"r-${n}","registrationId":"g-${Math.floor(n / 5)}",` +
          `"service":"${services[n % 2]}","jurisdiction":"330302","payload":${payloadJson}}`,
      );
    }
    return `{"items":[${parts.join(',')}]}`;
  };
  const bodyBytes = Buffer.byteLength(makeBody());

  // Warm-up (JIT, SQLite page cache), not counted.
  await autocannon({
    url: `${url}/v1/requests:batch`,
    connections,
    duration: 1,
    requests: [{ method: 'POST', setupRequest: (r: AutocannonRequest) => ({ ...r, body: makeBody() }) }],
    headers: { 'X-Client-Protocol': '1', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
  await new Promise((r) => setTimeout(r, 300)); // let batches cut off at the end of the warm-up settle
  const db0 = new Database(dataFile, { readonly: true });
  const storedBefore = db0.prepare('SELECT count(*) FROM requests').pluck().get() as number;
  db0.close();

  const result = await autocannon({
    url: `${url}/v1/requests:batch`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', setupRequest: (r: AutocannonRequest) => ({ ...r, body: makeBody() }) }],
    headers: { 'X-Client-Protocol': '1', Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });

  await new Promise((r) => setTimeout(r, 300));
  const db = new Database(dataFile, { readonly: true });
  const stored = (db.prepare('SELECT count(*) FROM requests').pluck().get() as number) - storedBefore;
  const dupKeys = db.prepare('SELECT count(*) FROM requests WHERE intake_count <> 1').pluck().get() as number;
  db.close();

  const ok = result['2xx'];
  const itemsPerSec = (ok * BATCH) / result.duration;
  console.log(`city-api simulator ceiling — ${connections} connections, ${result.duration.toFixed(1)} s, batches of ${BATCH} (${(bodyBytes / 1024).toFixed(0)} KiB)`);
  console.log(`  batches/s   ${(ok / result.duration).toFixed(1)}   (2xx ${ok}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  console.log(`  items/s     ${itemsPerSec.toFixed(0)}`);
  console.log(`  latency     p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms per batch`);
  // Batches in flight when autocannon stops may be committed without their answer being counted: up to one per connection.
  console.log(`  stored      ${stored} items (answered 200: ${ok * BATCH}, at most ${connections * BATCH} more in flight), keys taken more than once: ${dupKeys}`);
  if (result.non2xx > 0 || stored < ok * BATCH || stored > (ok + connections) * BATCH || dupKeys !== 0) {
    throw new Error('the simulator lost, refused or duplicated items under load: the figure is not valid');
  }
  recordResults({ simulator_ceiling_rps: itemsPerSec, simulator_batch_p99_ms: result.latency.p99 });
} finally {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
}
