/**
 * Helpers for the simulator's own tests and benchmarks: a raw HTTP client (one fresh connection per call, so
 * injected faults are seen exactly as a client sees them), a started simulator in a temp dir, and payloads.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DistrictCode, Service } from '../domain/codes';
import type { BatchItem } from './contract';
import { composeIdNumber } from './rules';
import { startCitySimulator, type CitySimulator, type CitySimulatorOptions } from './server';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON (loosely typed: tests check it with schemas). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export type RawResult = RawResponse | { error: string };

export function isResponse(r: RawResult): r is RawResponse {
  return 'status' in r;
}

export interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One call on a fresh connection; network failures come back as `{ error: code }` (ECONNRESET, ECONNREFUSED…). */
export function raw(url: string, opts: RawOptions = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** `raw` that insists on an HTTP answer. */
export async function call(url: string, opts: RawOptions = {}): Promise<RawResponse> {
  const r = await raw(url, opts);
  if (!isResponse(r)) throw new Error(`expected an HTTP answer from ${url}, got ${r.error}`);
  return r;
}

export const ADMIN_TOKEN = 'test-admin-token';

export interface TestSim {
  sim: CitySimulator;
  dir: string;
  dataFile: string;
  /** A client bound to one desk. */
  client(clientId?: string): Promise<Client>;
  admin(pathAndQuery: string, opts?: RawOptions): Promise<RawResponse>;
  stop(): Promise<void>;
}

export interface Client {
  token: string;
  headers: Record<string, string>;
  batch(items: unknown[]): Promise<RawResponse>;
  feed(query?: string): Promise<RawResponse>;
}

export async function tokenFor(url: string, clientId = 'H001:desk-1', secret = 'secret'): Promise<string> {
  const r = await call(`${url}/v1/oauth/token`, {
    method: 'POST',
    headers: { 'X-Client-Protocol': '1', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
  return r.json.access_token as string;
}

export function clientFor(url: string, token: string): Client {
  const headers = { 'X-Client-Protocol': '1', Authorization: `Bearer ${token}` };
  return {
    token,
    headers,
    batch: (items) =>
      call(`${url}/v1/requests:batch`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ items }),
      }),
    feed: (query = '') => call(`${url}/v1/status-updates${query ? `?${query}` : ''}`, { headers }),
  };
}

/** Start a simulator on a fresh data file (or `dataFile`), 'any' credentials and the test admin token. */
export async function startTestSim(opts: Partial<CitySimulatorOptions> = {}, dir?: string): Promise<TestSim> {
  const d = dir ?? mkdtempSync(path.join(tmpdir(), 'city-api-'));
  const dataFile = opts.dataFile ?? path.join(d, 'city.sqlite');
  const sim = await startCitySimulator({ credentials: 'any', adminToken: ADMIN_TOKEN, ...opts, dataFile });
  return {
    sim,
    dir: d,
    dataFile,
    async client(clientId = 'H001:desk-1') {
      return clientFor(sim.url, await tokenFor(sim.url, clientId));
    },
    admin: (p, o = {}) => call(`${sim.url}${p}`, { ...o, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(o.headers ?? {}) } }),
    async stop() {
      await sim.close();
      if (!dir) rmSync(d, { recursive: true, force: true });
    },
  };
}

// --- payloads ---------------------------------------------------------------------------------------------

export const MOTHER_ID = composeIdNumber('330302', '19930415', 22);
export const FATHER_ID = composeIdNumber('330381', '19910102', 11);

/** The same number with a wrong check character. */
export function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

export function basePayload(): Record<string, unknown> {
  return {
    mother: {
      name: '林晓',
      docType: 'resident_id',
      docNumber: MOTHER_ID,
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: '1993-04-15',
      insurance: { insured: true, insuredDistrict: '330302' },
    },
    father: {
      name: '陈建',
      docType: 'resident_id',
      docNumber: FATHER_ID,
      nationality: 'CHN',
      ethnicity: '01',
      birthDate: '1991-01-02',
    },
    child: {
      name: '陈小满',
      sex: '1',
      birthDateTime: '2025-03-08T09:41',
      gestationalWeeks: 39,
      weightG: 3350,
      lengthCm: 50,
      healthStatus: 'good',
      deliveryMode: 'vaginal',
      attendant: '王医生',
      plurality: 1,
      birthOrder: 1,
    },
  };
}

let counter = 0;
export function item(
  service: Service,
  payload: Record<string, unknown> = basePayload(),
  extra: Partial<BatchItem> & { jurisdiction?: DistrictCode } = {},
): BatchItem {
  counter += 1;
  return {
    idempotencyKey: `key-${randomUUID()}`,
    requestId: `req-${counter}`,
    registrationId: 'reg-1',
    service,
    jurisdiction: '330302',
    payload,
    ...extra,
  };
}

export interface SimulatorProcess {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** SIGTERM (once) and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * The simulator in a process of its own (`tsx city-api/main.ts --port 0 <args>`), for benchmarks whose load
 * generator must not share its event loop; resolves when it prints its URL. It is stopped on this process's exit too.
 */
export async function spawnSimulator(args: string[]): Promise<SimulatorProcess> {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'city-api/main.ts'), '--port', '0', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', kill);
  const stop = async () => {
    kill();
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`simulator exited (${code}) before listening: ${out}`)));
    });
    child.stdout!.resume();
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
