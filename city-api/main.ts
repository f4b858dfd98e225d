/**
 * `npm run city-api`: run the city API simulator on its own.
 *
 *   tsx city-api/main.ts [--port 8787] [--host 127.0.0.1] [--data .newborn-desk/city-api.sqlite]
 *                        [--review-ms 2000[,5000]] [--token-ttl 3600] [--protocol 1-1] [--seed 1]
 *                        [--admin-token T] [--credentials H1:D1=secret,H2:D2=secret] [--quiet]
 *
 * Environment: CITY_API_PORT, CITY_API_HOST, CITY_API_DATA, CITY_API_REVIEW_MS, CITY_API_ADMIN_TOKEN,
 * CITY_API_CREDENTIALS (flags win). Without credentials any well-formed client_id is accepted (training).
 * Without an admin token a random one is made and printed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_REVIEW_CLOCK, randomAdminToken, startCitySimulator, type CitySimulatorOptions } from './index';

function fail(message: string): never {
  process.stderr.write(`city-api: ${message}\n`);
  process.exit(2);
}

function int(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) fail(`--${name} must be an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    'review-ms': { type: 'string' },
    'token-ttl': { type: 'string' },
    protocol: { type: 'string' },
    seed: { type: 'string' },
    'admin-token': { type: 'string' },
    credentials: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(
    'usage: tsx city-api/main.ts [--port 8787] [--host 127.0.0.1] [--data FILE] [--review-ms N[,M]] [--token-ttl S]\n' +
      '                            [--protocol MIN-MAX] [--seed N] [--admin-token T] [--credentials ID=SECRET,...] [--quiet]\n',
  );
  process.exit(0);
}

const env = process.env;
const port = int('port', values.port ?? env.CITY_API_PORT ?? '8787', 0, 65535);
const host = values.host ?? env.CITY_API_HOST ?? '127.0.0.1';
const dataFile = path.resolve(values.data ?? env.CITY_API_DATA ?? '.newborn-desk/city-api.sqlite');
mkdirSync(path.dirname(dataFile), { recursive: true });

const opts: CitySimulatorOptions = { port, host, dataFile, credentials: 'any' };
const review = values['review-ms'] ?? env.CITY_API_REVIEW_MS;
if (review !== undefined) {
  const [a, b] = review.split(',');
  const first = int('review-ms', a ?? '', 0, 86_400_000);
  opts.reviewClock = { receivedToReviewMs: first, reviewToDecisionMs: b === undefined ? first : int('review-ms', b, 0, 86_400_000) };
}
if (values['token-ttl'] !== undefined) opts.tokenTtlSec = int('token-ttl', values['token-ttl'], 1, 86_400 * 30);
if (values.protocol !== undefined) {
  const m = /^(\d+)-(\d+)$/.exec(values.protocol);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) fail(`--protocol must be MIN-MAX (e.g. 1-2), got "${values.protocol}"`);
  opts.protocol = { min: Number(m[1]), max: Number(m[2]) };
}
if (values.seed !== undefined) opts.faults = { seed: int('seed', values.seed, 0, 0xffffffff) };
const credentials = values.credentials ?? env.CITY_API_CREDENTIALS;
if (credentials) {
  opts.credentials = credentials.split(',').map((pair) => {
    const i = pair.indexOf('=');
    if (i <= 0) fail('--credentials must be <hospitalCode>:<deskId>=<secret>[,…]');
    return { clientId: pair.slice(0, i), secret: pair.slice(i + 1) };
  });
}
const adminToken = values['admin-token'] ?? env.CITY_API_ADMIN_TOKEN ?? randomAdminToken();
opts.adminToken = adminToken;
if (!values.quiet) opts.log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

const sim = await startCitySimulator(opts).catch((e: Error) => fail(e.message));
process.stdout.write(
  `city-api simulator listening on ${sim.url}\n` +
    `  data: ${dataFile}\n` +
    `  review: ${(opts.reviewClock ?? DEFAULT_REVIEW_CLOCK).receivedToReviewMs} ms to review, ` +
    `${(opts.reviewClock ?? DEFAULT_REVIEW_CLOCK).reviewToDecisionMs} ms to decision\n` +
    `  credentials: ${opts.credentials === 'any' ? 'any <hospitalCode>:<deskId> (training)' : `${opts.credentials.length} client(s)`}\n` +
    `  admin token: ${values['admin-token'] ?? env.CITY_API_ADMIN_TOKEN ? '(as given)' : adminToken}\n`,
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  });
}
