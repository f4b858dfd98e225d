/**
 * The reliability suite's rig: a real city simulator (in process, real HTTP on 127.0.0.1) and a real encrypted
 * desk store in a temp dir, sharing one injectable clock (so backoffs, review and a 3-day outage take no wall
 * time and the simulator's Date header agrees with the desk), bundles submitted through
 * `store.registrations.submit` + `deriveRequests`, and a convergence check of both sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { startCitySimulator, type CitySimulator, type CitySimulatorOptions } from '../../city-api/server';
import type { StoredRequest as ServerRequest } from '../../city-api/contract';
import { createEventHub, type EventHub } from '../../core/api/events';
import type { Logger } from '../../core/api/ports';
import { deriveRequests } from '../../domain/bundle';
import type { Registration } from '../../domain/types';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../core/sync';
import { FileKeyProvider } from '../../db/key-provider';
import { createThreadedSync, type SyncThreadHost } from '../../core/sync/thread';
import { FULL_PAYLOAD_SQL } from '../../db/payload-share';
import { requestFromRow, type RequestRow } from '../../db/request-row';
import { openStore, type Store } from '../../db/store';
import { SERVER_TO_LOCAL } from '../../db/sync-repo';
import { makeRegistration } from '../../db/test-helpers';
import type { StoredRequest } from '../../db/types';

export const ADMIN = 'reliability-admin';
export const HOSPITAL = 'H330302001';
export const CLIENT_ID = `${HOSPITAL}:desk-01`;

/** Wall clock plus an offset the test moves: the desk, its store and the simulator all read it. */
export class TestClock {
  offsetMs = 0;
  readonly nowMs = (): number => Date.now() + this.offsetMs;
  readonly now = (): Date => new Date(this.nowMs());
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface LogLine {
  level: string;
  message: string;
  meta: Record<string, unknown> | undefined;
}

export interface Rig {
  dir: string;
  clock: TestClock;
  sim: CitySimulator;
  store: Store;
  dbFile: string;
  keyFile: string;
  events: EventHub;
  /** Every event the hub forwarded (validated against the contract). */
  seen: Array<{ event: string; payload: unknown }>;
  /** Events the hub refused as malformed. */
  invalidEvents: string[];
  logs: LogLine[];
  logger: Logger;
  registrations: Registration[];
  engine(over?: Partial<SyncEngineOptions>): SyncEngine;
  submit(n: number, over?: { services?: Registration['services']; mutate?: (reg: Registration) => void }): Registration[];
  close(): Promise<void>;
}

let seedCounter = 1000;

export async function startRig(o: { sim?: Partial<CitySimulatorOptions>; dir?: string } = {}): Promise<Rig> {
  const dir = o.dir ?? mkdtempSync(path.join(tmpdir(), 'nd-rel-'));
  const clock = new TestClock();
  const sim = await startCitySimulator({
    dataFile: path.join(dir, 'city.sqlite'),
    credentials: 'any',
    adminToken: ADMIN,
    now: clock.nowMs,
    ...o.sim,
  });
  const dbFile = path.join(dir, 'desk.db');
  const keyFile = path.join(dir, 'desk.key');
  const store = await openStore({ file: dbFile, keyProvider: new FileKeyProvider(keyFile), now: clock.now });
  const invalidEvents: string[] = [];
  const events = createEventHub((e) => invalidEvents.push(e));
  const seen: Rig['seen'] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  const logs: LogLine[] = [];
  const line = (level: string) => (message: string, meta?: Record<string, unknown>) => logs.push({ level, message, meta });
  const logger: Logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const engines: SyncEngine[] = [];
  const registrations: Registration[] = [];

  const rig: Rig = {
    dir,
    clock,
    sim,
    store,
    dbFile,
    keyFile,
    events,
    seen,
    invalidEvents,
    logs,
    logger,
    registrations,
    engine(over = {}) {
      const e = createSyncEngine({
        store: rig.store,
        events,
        cityApi: { url: sim.url, clientId: CLIENT_ID, secret: 'desk-secret', timeoutMs: 3000 },
        batch: { maxItems: 50, maxBytes: 256 * 1024 },
        intervalMs: 1000,
        now: clock.now,
        logger,
        ...over,
      });
      engines.push(e);
      return e;
    },
    submit(n, over = {}) {
      const out: Registration[] = [];
      for (let i = 0; i < n; i++) {
        const reg = makeRegistration(seedCounter++, { createdAt: clock.now().toISOString(), ...(over.services ? { services: over.services } : {}) });
        over.mutate?.(reg);
        const requests = deriveRequests(reg, { hospitalDistrict: '330302', newId: uuidv7 });
        rig.store.registrations.submit({ registration: reg, requests, actor: 'clerk-01', at: clock.now().toISOString() });
        out.push(reg);
      }
      registrations.push(...out);
      return out;
    },
    async close() {
      for (const e of engines) await e.stop().catch(() => undefined);
      await sim.close();
      try {
        rig.store.close();
      } catch {
        // already closed by the test
      }
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Every local request, oldest first. */
export function allRequests(store: Store): StoredRequest[] {
  const rows = store.context.db
    .prepare(`SELECT *, ${FULL_PAYLOAD_SQL} AS full_payload FROM service_requests ORDER BY created_at, rowid`)
    .all() as (RequestRow & { full_payload: string })[];
  return rows.map((r) => requestFromRow({ ...r, payload: r.full_payload }));
}

export const FINAL = new Set(['approved', 'issued', 'rejected', 'needs_info', 'held']);

/**
 * Both sides agree: each local request that reached the city is stored there exactly once under its key, with
 * the same server id, the same status (mapped) and the same document number; the city holds nothing else.
 */
export function divergences(store: Store, server: ServerRequest[]): string[] {
  const out: string[] = [];
  const byKey = new Map<string, ServerRequest[]>();
  for (const s of server) byKey.set(s.idempotencyKey, [...(byKey.get(s.idempotencyKey) ?? []), s]);
  const local = allRequests(store);
  const localKeys = new Set(local.map((r) => r.idempotencyKey));
  for (const s of server) if (!localKeys.has(s.idempotencyKey)) out.push(`server holds unknown key ${s.idempotencyKey}`);
  const perRequest = new Map<string, number>();
  for (const s of server) perRequest.set(`${s.registrationId}:${s.service}`, (perRequest.get(`${s.registrationId}:${s.service}`) ?? 0) + 1);
  for (const r of local) {
    const copies = byKey.get(r.idempotencyKey) ?? [];
    if (r.state === 'held' || r.state === 'queued' || r.state === 'sending') {
      if (r.state !== 'held' && copies.length > 0 && r.serverId === null) out.push(`${r.id} is ${r.state} locally but stored on the server`);
      continue;
    }
    if (copies.length !== 1) {
      out.push(`${r.id} (${r.service}) stored ${copies.length} times on the server`);
      continue;
    }
    const s = copies[0]!;
    if ((perRequest.get(`${r.registrationId}:${r.service}`) ?? 0) !== 1) out.push(`${r.id} stored under more than one key`);
    if (r.serverId !== s.serverId) out.push(`${r.id} server id ${r.serverId} ≠ ${s.serverId}`);
    if (r.state !== SERVER_TO_LOCAL[s.status]) out.push(`${r.id} (${r.service}) local ${r.state} ≠ server ${s.status}`);
    const doc = r.service === 'household_registration' ? (s.childIdNumber ?? s.documentNumber ?? null) : (s.documentNumber ?? null);
    if (r.documentNumber !== doc) out.push(`${r.id} (${r.service}) document ${r.documentNumber} ≠ ${doc}`);
  }
  return out;
}

/**
 * Drives `syncNow` with the clock moving `stepMs` per round (review and backoffs pass) until the queue is empty,
 * every request has its final status and both sides agree. Returns the rounds it took.
 */
export async function driveToConvergence(rig: Rig, engine: SyncEngine, o: { stepMs?: number; maxRounds?: number } = {}): Promise<number> {
  const step = o.stepMs ?? 60_000;
  const max = o.maxRounds ?? 300;
  let last: string[] = [];
  for (let round = 1; round <= max; round++) {
    await engine.syncNow();
    const local = allRequests(rig.store);
    if (local.every((r) => FINAL.has(r.state))) {
      last = divergences(rig.store, rig.sim.admin.listRequests());
      if (last.length === 0) return round;
    }
    rig.clock.advance(step);
  }
  const counts = rig.store.requests.countByState();
  throw new Error(`no convergence after ${max} rounds: ${JSON.stringify(counts)}; ${last.slice(0, 5).join('; ')}`);
}

/** The personal data of the submitted registrations (for the no-PII-in-logs checks). */
export function personalData(regs: readonly Registration[]): string[] {
  const out: string[] = [];
  for (const r of regs) {
    out.push(r.mother.docNumber, r.mother.name, r.mother.phone ?? '');
    if (r.father) out.push(r.father.docNumber, r.father.name, r.father.phone ?? '');
    if (r.child.name) out.push(r.child.name);
    out.push(r.declaration.guardianPhone ?? '');
  }
  return out.filter((s) => s.length >= 2);
}

/** Rounds of `syncNow` with the clock moving `stepMs` each, until `done()` holds. */
export async function driveUntil(
  rig: Rig,
  engine: SyncEngine,
  done: () => boolean,
  o: { stepMs?: number; maxRounds?: number } = {},
): Promise<number> {
  const max = o.maxRounds ?? 100;
  for (let round = 1; round <= max; round++) {
    await engine.syncNow();
    if (done()) return round;
    rig.clock.advance(o.stepMs ?? 60_000);
  }
  throw new Error(`not done after ${max} rounds: ${JSON.stringify(rig.store.requests.countByState())}`);
}

export interface Exchange {
  path: string;
  status: number;
  text: string;
  /** The keys of a batch request's items. */
  keys: string[];
  requestBytes: number;
}

/**
 * A fetch that calls the real simulator and lets the test rewrite the answer (or replace it outright), to play a
 * broken or hostile city. `rewrite` returns null to pass the answer through.
 */
export function rewritingFetch(
  rewrite: (x: Exchange) => { status?: number; text: string; headers?: Record<string, string> } | null,
  seen: Exchange[] = [],
): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.text();
    const body = typeof init?.body === 'string' ? init.body : '';
    let keys: string[] = [];
    const url = new URL(String(input));
    if (url.pathname.endsWith('requests:batch') && body) {
      try {
        keys = (JSON.parse(body) as { items: { idempotencyKey: string }[] }).items.map((i) => i.idempotencyKey);
      } catch {
        keys = [];
      }
    }
    const x: Exchange = { path: url.pathname, status: res.status, text, keys, requestBytes: Buffer.byteLength(body) };
    seen.push(x);
    const out = rewrite(x);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    if (!out) return new Response(text, { status: res.status, headers });
    for (const [k, v] of Object.entries(out.headers ?? {})) headers.set(k, v);
    return new Response(out.text, { status: out.status ?? res.status, headers });
  };
}

/** The desk's threaded sync over this rig's database and simulator (the engine in its own thread or process). */
export function threadedEngine(r: Rig, host: SyncThreadHost, o: { maxItems: number; restartMs?: { first: number; max: number }; leaseOwner?: string }) {
  return createThreadedSync({
    host,
    store: r.store,
    events: r.events,
    logger: r.logger,
    init: {
      dbFile: r.dbFile,
      anchorFile: r.store.anchor().file,
      cityApi: { url: r.sim.url, clientId: CLIENT_ID, secret: 'desk-secret', timeoutMs: 3000 },
      batch: { maxItems: o.maxItems, maxBytes: 256 * 1024 },
      intervalMs: 60_000,
      fetch: { kind: 'plain' },
      // As the desk: its client id.
      leaseOwner: o.leaseOwner ?? CLIENT_ID,
    },
    getKey: () => new FileKeyProvider(r.keyFile).getKey({ mayCreate: false }),
    ...(o.restartMs ? { restartMs: o.restartMs } : {}),
  });
}
