/**
 * The desk, composed: the one composition root both shells (Electron main, browser mode) call. `startDesk`
 * starts the training city simulator (handed in by the shell: core never imports city-api/), picks the key
 * provider and the sync engine, then `openDesk` builds the encrypted store, the event hub, the device manager (the real
 * buses, plus the simulated reader and scanner in training), the receipt renderer and the KioskApi service over them. The shells then only ever use
 * `dispatch` and `events`; nothing here knows which shell it runs in.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { FileKeyProvider, integrityFile, openStore, SealedKeyProvider, type KeyProvider, type KeySealer, type Store } from '../db';
import { createDeviceManager, type DeskDevices } from '../hardware/devices/create';
import type { DeskConfig } from './config/schema';
import { isTrainingMode } from './config/schema';
import { createEventHub, type EventHub } from './api/events';
import type { CityApiProbe, Logger, SyncPort, TrainingCityFaults } from './api/ports';
import { createKioskService, type KioskService } from './api/service';
import type { Dispatch } from './api/dispatch';
import { createPrintQueue, defaultPrintPort, fileJobStore, type PrintPort } from './print';
import { createDeskSync } from './sync';
import { createThreadedSync, type FetchSpec, type SyncThreadHost } from './sync/thread';
import { INTEGRITY_EVERY_MS, INTEGRITY_FIRST_MS } from './sync/thread-protocol';
// setup area (issue 13): training and production are different places
import { adoptLegacyLayout, DB_FILE, DeskModeMismatchError, MODE_SETTING, modeDir, setAsideModeFolder, type DeskMode } from './desk-folders';
import { guardTrainingFetch } from './sync/training-guard';
import { pinnedCaFetch } from './sync/tls';

export interface CityApiEndpoint {
  url: string;
  clientId: string;
  secret: string;
  timeoutMs: number;
  /** setup area: the HTTP client for this city (the pinned-CA fetch when IT set cityApi.caFile). */
  fetch?: typeof fetch;
}

export interface OpenDeskOptions {
  config: DeskConfig;
  dataDir: string;
  keyProvider: KeyProvider;
  /**
   * The city API to sync with (in training mode: the embedded simulator's address). A promise is awaited once the
   * store is open: startDesk opens the store while the training city's thread starts.
   */
  cityApi: CityApiEndpoint | null | Promise<CityApiEndpoint | null>;
  host: { version: string; configFile: string | null; lockedKeys?: readonly string[]; notices?: string[] };
  logger: Logger;
  now?: () => Date;
  // — training (issue 12): the embedded city's fault switch, handed to the training handlers —
  trainingCity?: TrainingCityFaults | Promise<TrainingCityFaults | undefined>;
  /** Builds the sync engine; absent = no sync (the queue only grows, nothing is lost). */
  createSync?: (deps: { store: Store; events: EventHub; cityApi: CityApiEndpoint; config: DeskConfig; logger: Logger }) => SyncPort & {
    start(): void;
    stop(): Promise<void>;
  };
  /**
   * Builds the device manager. Default (devices area): `createDeviceManager` from the config, on every desk:
   * the built-in known models plus `devices.models`, `devices.barcodePatterns`, and in training mode (or with
   * `devices.simulated`) the simulated reader and scanner as one more backend of the same manager.
   */
  createDevices?: (deps: { events: EventHub; config: DeskConfig; logger: Logger; training: boolean }) => DeskDevices;
  /** printing: how PDFs reach the printer; default CUPS (Windows: pdf-to-printer). The Electron shell passes its fallback. */
  printPort?: PrintPort;
  /**
   * issue 14 item 5: runs the full-file integrity check off the desk's loop when no sync thread does it (a desk with
   * no city API). startDesk passes a sync thread that only checks; absent: no background check.
   */
  backgroundCheck?: (deps: { store: Store; logger: Logger }) => { start(): void; stop(): Promise<void> };
  /** The shells: start the sync after the page's first getSession (see openDesk), not at once. */
  startSyncAfterPage?: boolean;
}

export interface Desk {
  dispatch: Dispatch;
  events: EventHub;
  service: KioskService;
  store: Store;
  /** The desk's device manager (training: with the simulated reader and scanner as `devices.training`). */
  devices: DeskDevices;
  close(): Promise<void>;
}

/** The receipt renderer (pdfkit, fontkit, the fonts) is loaded on first use, off the path to the sign-in page. */
const receiptModule = () => import('./receipt');
/** The receipt warm-up: after the page's first `getSession`, or after open when no page asks (core/desk.ts). */
export const WARM_UP_AFTER_PAGE_MS = 1500;
export const WARM_UP_FALLBACK_MS = 10_000;
/** The sync's start: after the page's first `getSession`, or after open when no page asks (core/desk.ts). */
export const SYNC_START_AFTER_PAGE_MS = 500;
export const SYNC_START_FALLBACK_MS = 3000;

/** The staff account every training desk has, so `npm start` on a fresh machine can be used at once. */
export const TRAINING_STAFF = { staffId: 'trainer', displayName: '培训员 Trainer', role: 'admin', pin: '123456' } as const;

export async function openDesk(opts: OpenDeskOptions): Promise<Desk> {
  const { config, logger } = opts;
  const training = isTrainingMode(config);
  const store = await openStore({
    file: path.join(opts.dataDir, DB_FILE),
    keyProvider: opts.keyProvider,
    logger,
    ...(opts.now ? { now: opts.now } : {}),
  });
  // setup area: a database belongs to one mode, stamped at first open; the other mode's database is never used.
  const mode: DeskMode = training ? 'training' : 'production';
  const stamped = store.settings.get<string>(MODE_SETTING);
  const looksTrained = stamped === undefined && !training && store.staff.list().some((s) => s.staffId === TRAINING_STAFF.staffId);
  if ((stamped !== undefined && stamped !== mode) || looksTrained) {
    store.close();
    throw new DeskModeMismatchError(mode, stamped ?? 'training');
  }
  if (stamped === undefined) store.settings.set(MODE_SETTING, mode);
  const stops: Array<() => Promise<void> | void> = [() => store.close()];
  try {
    const events = createEventHub((event) => logger.warn('dropped a malformed event', { event }));
    if (training && store.staff.list().length === 0) {
      await store.staff.create({ ...TRAINING_STAFF }, { actor: 'system' });
    }

    // — devices area: one device manager on every desk (the real buses, plus training's simulated backend) —
    const simulatedDevices = training || config.devices.simulated;
    /** Run once, when a page first asks for the session (it has its sign-in then). */
    const onFirstPage: Array<() => void> = [];
    const devices = (opts.createDevices ?? defaultDevices)({ events, config, logger, training: simulatedDevices });
    devices.start();
    stops.unshift(() => devices.stop());
    for (const problem of devices.problems()) logger.warn('device backend unavailable', { problem });

    const cityApi = await opts.cityApi;
    const trainingCity = await opts.trainingCity;
    let sync: SyncPort | undefined;
    let probeCityApi: CityApiProbe | undefined;
    // With `startSyncAfterPage` (the shells) the sync starts once the page has its sign-in (SYNC_START_AFTER_PAGE_MS
    // after the page's first getSession), or SYNC_START_FALLBACK_MS after open when no page asks, or at once when
    // asked to sync: starting it (its thread's bundle, its own connection, the first cycle) does not compete with the
    // page's first load. Without it (tests, benches) it starts at once.
    let startSync: () => void = () => undefined;
    let syncStartTimer: ReturnType<typeof setTimeout> | null = null;
    if (cityApi && opts.createSync) {
      const engine = opts.createSync({ store, events, cityApi, config, logger });
      startSync = () => {
        if (syncStartTimer) clearTimeout(syncStartTimer);
        syncStartTimer = null;
        engine.start();
      };
      const planSyncStart = (ms: number) => {
        if (syncStartTimer) clearTimeout(syncStartTimer);
        syncStartTimer = setTimeout(startSync, ms);
        syncStartTimer.unref?.();
      };
      if (opts.startSyncAfterPage) {
        planSyncStart(SYNC_START_FALLBACK_MS);
        onFirstPage.push(() => syncStartTimer && planSyncStart(SYNC_START_AFTER_PAGE_MS));
      } else startSync();
      stops.unshift(() => {
        if (syncStartTimer) clearTimeout(syncStartTimer);
        syncStartTimer = null;
        return engine.stop();
      });
      sync = {
        status: () => engine.status(),
        syncNow: () => {
          startSync();
          return engine.syncNow();
        },
        poke: () => {
          startSync();
          engine.poke();
        },
      };
      probeCityApi = probe(cityApi);
    } else if (opts.backgroundCheck) {
      const check = opts.backgroundCheck({ store, logger });
      check.start();
      stops.unshift(() => check.stop());
    }

    // printing: one queue per desk, on the configured printer/paper/copies; its jobs (no personal data) in print-jobs.json.
    const print = createPrintQueue({
      port: opts.printPort ?? defaultPrintPort(process.platform),
      settings: () => config.printer,
      onEvent: (e) => events.emit('printJob', e),
      store: fileJobStore(path.join(opts.dataDir, 'print-jobs.json')),
      log: logger,
    });
    stops.unshift(() => print.close());

    const service = createKioskService({
      store,
      config,
      events,
      logger,
      host: { ...opts.host, dataDir: opts.dataDir },
      ...(opts.now ? { now: opts.now } : {}),
      ...(sync ? { sync } : {}),
      devices,
      ...(probeCityApi ? { probeCityApi } : {}),
      ...(trainingCity ? { trainingCity } : {}),
      receipts: { render: async (input) => (await receiptModule()).renderReceipt(input) },
      print,
    });

    // The first receipt parses the CJK font and shapes its glyphs (about a second of this loop): do it while the
    // clerk types the PIN, rather than while a family waits at the desk — and not while the page is still loading
    // its sign-in (it would wait behind it): WARM_UP_AFTER_PAGE_MS after the page first asks for the session, or
    // WARM_UP_FALLBACK_MS after open when no page has asked.
    // Only while no one has signed in yet: once a clerk works in the form the ~0.6 s it holds this loop would hold
    // their calls too (a page signed in within 1.5 s — e2e, a password manager — makes its first receipt cold instead).
    let clerkSignedIn = false;
    let warmUp: ReturnType<typeof setTimeout> | null = null;
    const planWarmUp = (ms: number) => {
      if (warmUp) clearTimeout(warmUp);
      warmUp = setTimeout(() => {
        warmUp = null;
        if (clerkSignedIn) return;
        void receiptModule()
          .then((r) => r.warmUpReceipts())
          .catch(() => logger.warn('receipt warm-up failed'));
      }, ms);
      warmUp.unref?.();
    };
    planWarmUp(WARM_UP_FALLBACK_MS);
    onFirstPage.push(() => warmUp && planWarmUp(WARM_UP_AFTER_PAGE_MS));
    stops.unshift(() => void (warmUp && clearTimeout(warmUp)));
    let pageSeen = false;
    const dispatch: Dispatch = (method, args, origin) => {
      if (!pageSeen && method === 'getSession') {
        pageSeen = true;
        for (const fn of onFirstPage) fn();
      }
      const result = service.dispatch(method, args, origin);
      if (method === 'signIn' || method === 'setUpFirstAdmin') void result.then((r) => void (r.ok && (clerkSignedIn = true)));
      return result;
    };

    let closed = false;
    return {
      dispatch,
      events,
      service,
      store,
      devices,
      async close() {
        if (closed) return;
        closed = true;
        // Sync and devices first, the database last: nothing is written after the store closes.
        for (const stop of stops) {
          try {
            await stop();
          } catch (e) {
            logger.warn('error while closing', { error: (e as Error).name });
          }
        }
      },
    };
  } catch (e) {
    for (const stop of stops) await stop();
    throw e;
  }
}

/** The devices area's default: the device manager from the config, events straight into the desk's hub. */
function defaultDevices({ events, config, training }: { events: EventHub; config: DeskConfig; training: boolean }): DeskDevices {
  return createDeviceManager({
    sink: { emit: (event, payload) => events.emit(event, payload as never) },
    models: config.devices.models,
    patterns: config.devices.barcodePatterns,
    training,
  });
}

/** Reachability of the city API for the diagnostics screen: an unauthenticated GET that any live server answers. */
function probe(api: CityApiEndpoint): CityApiProbe {
  return async () => {
    const started = performance.now();
    try {
      const res = await (api.fetch ?? fetch)(new URL('/v1/status-updates', api.url), { signal: AbortSignal.timeout(3000) });
      await res.body?.cancel();
      // diagnostics (clerk walk): the probe's GET carries no token, so 400/401/403 are the city answering — reachable
      // is what it proves; only a server error is worth showing.
      return { reachable: true, latencyMs: Math.round(performance.now() - started), detail: res.status >= 500 ? `HTTP ${res.status}` : null };
    } catch (e) {
      return { reachable: false, latencyMs: null, detail: (e as Error).name === 'TimeoutError' ? 'no answer within 3 s' : 'connection failed' };
    }
  };
}

/** What core needs of the training city simulator; the shell passes city-api's `startCitySimulator`. */
export interface TrainingCity {
  url: string;
  close(): Promise<void>;
  /** The simulator's admin (city-api's `CitySimulatorAdmin`): the training panel switches its faults. */
  admin?: TrainingCityFaults;
}
export type StartTrainingCity<C extends TrainingCity> = (opts: {
  port: 0;
  host: '127.0.0.1';
  /** ':memory:' — the training city's data (personal data of training) never reaches a file. */
  dataFile: string;
  credentials: 'any';
  /** Answered in the X-City-Simulator header: the desk's sync refuses a training request to any other city. */
  identity: typeof TRAINING_CITY_IDENTITY;
}) => Promise<C>;

/** What the embedded training simulator answers in `X-City-Simulator` (setup area, issue 13). */
export const TRAINING_CITY_IDENTITY = 'training';

export interface StartDeskOptions<C extends TrainingCity = TrainingCity> {
  dataDir: string;
  config: DeskConfig;
  /** The IT config file in use (shown on diagnostics), null for built-in defaults. */
  configFile?: string | null;
  /**
   * Where the database key lives. Default: a 0600 key file `desk.key` in dataDir (browser mode). The Electron
   * shell hands its `safeStorage` and the sealed key's file; the key is then kept only encrypted by the OS keystore.
   */
  keyStore?: { sealer: KeySealer; file: string };
  /** Tests only: a key provider of their own. */
  keyProvider?: KeyProvider;
  /** The city API secret, already decrypted by the shell (safeStorage); default `config.cityApi.clientSecret`. */
  cityApiSecret?: string;
  /** The application version (shown on diagnostics and in the session). */
  version: string;
  /** Keys hospital IT set in the machine config (the user cannot override them: IT's `language` wins). */
  lockedKeys?: readonly string[];
  /** Starts the embedded city simulator in training mode (city-api/index.ts's `startCitySimulator`). */
  startTrainingCity: StartTrainingCity<C>;
  logger: Logger;
  now?: () => Date;
  /** printing: the shell's print port (Electron: with its silent-print fallback); default per platform. */
  printPort?: PrintPort;
  /**
   * Runs the sync engine in its own thread (core/sync/thread.ts): browser mode a Node worker thread
   * (core/sync/node-thread-host.ts), the Electron app a utility process (electron/main/sync-host.ts). Absent: the
   * engine runs on the desk's own event loop (tests of the engine's wiring).
   */
  syncThread?: SyncThreadHost;
  /**
   * issue 14 item 5: when the sync thread runs the full-file integrity check (its first run after start, then the
   * interval); default a minute after start, then daily (core/sync/thread-protocol.ts). Tests shorten it.
   */
  integrityCheck?: { firstMs?: number; everyMs?: number };
  /** The shells: the sync starts after the page has its sign-in, not at once (openDesk). */
  startSyncAfterPage?: boolean;
}

export interface RunningDesk<C extends TrainingCity = TrainingCity> {
  dispatch: Dispatch;
  events: EventHub;
  desk: Desk;
  info: { training: boolean; cityApiUrl: string | null; dataDir: string; version: string; /** setup area: what was set aside at start */ notices?: string[] };
  /** Training mode only: the embedded city simulator (tests use its admin to simulate outages). */
  trainingCity: C | null;
  close(): Promise<void>;
}

export async function startDesk<C extends TrainingCity>(opts: StartDeskOptions<C>): Promise<RunningDesk<C>> {
  const { config, logger } = opts;
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const training = isTrainingMode(config);
  // setup area: the mode's own folder; an old-layout database is moved into its place first.
  const mode: DeskMode = training ? 'training' : 'production';
  const notices = adoptLegacyLayout(dataDir, mode, logger, opts.now?.());
  const deskDir = modeDir(dataDir, mode);
  mkdirSync(deskDir, { recursive: true, mode: 0o700 });
  for (const n of notices) logger.warn(n);
  const clientId = `${config.hospitalCode}:${config.deskId}`;

  let trainingCity: C | null = null;
  let cityApi: CityApiEndpoint | null = null;
  let closePinned: (() => Promise<void>) | null = null;
  // Training: the embedded city starts in its own thread while the store opens (openDesk awaits it after the open).
  let cityStarting: Promise<C> | null = null;
  if (training) {
    cityStarting = opts.startTrainingCity({ port: 0, host: '127.0.0.1', dataFile: ':memory:', credentials: 'any', identity: TRAINING_CITY_IDENTITY });
  } else if (config.cityApi) {
    const secret = opts.cityApiSecret ?? config.cityApi.clientSecret;
    if (!secret) logger.warn('no city API secret configured: requests will queue until IT sets one');
    cityApi = { url: config.cityApi.url, clientId, secret: secret ?? '', timeoutMs: config.cityApi.timeoutMs };
    // setup area: IT's CA for the city (relative to IT's file): only it is trusted.
    if (config.cityApi.caFile) {
      const caFile = path.resolve(opts.configFile ? path.dirname(opts.configFile) : process.cwd(), config.cityApi.caFile);
      const pinned = pinnedCaFetch(caFile);
      cityApi.fetch = pinned.fetch;
      closePinned = pinned.close;
      logger.info('city API: trusting only the CA in cityApi.caFile', { caFile });
    }
  }

  const cityReady: Promise<CityApiEndpoint | null> = cityStarting
    ? cityStarting.then((city) => {
        trainingCity = city;
        cityApi = { url: city.url, clientId, secret: 'training-desk-secret', timeoutMs: 10_000 };
        logger.info('training mode: embedded city simulator started', { url: city.url });
        return cityApi;
      })
    : Promise.resolve(cityApi);
  cityReady.catch(() => undefined); // awaited by openDesk; a failure is thrown there
  const keyProvider = (): KeyProvider =>
    opts.keyProvider ??
    (opts.keyStore ? new SealedKeyProvider(opts.keyStore.sealer, opts.keyStore.file, logger) : new FileKeyProvider(path.join(deskDir, 'desk.key')));
  // The sync thread's HTTP client, described (a function cannot cross a thread): the same choice as below.
  const caFile = config.cityApi?.caFile && !training ? path.resolve(opts.configFile ? path.dirname(opts.configFile) : process.cwd(), config.cityApi.caFile) : null;
  // In training the sync talks to the embedded simulator only (its address is the endpoint's, known once it started).
  const fetchSpec = (api: CityApiEndpoint): FetchSpec =>
    training
      ? { kind: 'training', trainingUrl: api.url, identity: TRAINING_CITY_IDENTITY }
      : caFile
        ? { kind: 'pinned', caFile }
        : { kind: 'plain' };
  const host = opts.syncThread;
  // issue 14 item 5: the sync thread also runs the full-file check, on its own connection (never at open).
  const integrity = (store: Store) => ({
    file: integrityFile(store.file),
    firstMs: opts.integrityCheck?.firstMs ?? INTEGRITY_FIRST_MS,
    everyMs: opts.integrityCheck?.everyMs ?? INTEGRITY_EVERY_MS,
  });
  // With no city API the same thread runs, only to check.
  const backgroundCheck: OpenDeskOptions['backgroundCheck'] = host
    ? ({ store, logger: l }) =>
        createThreadedSync({
          host,
          store,
          events: { emit: () => undefined },
          logger: l,
          init: {
            dbFile: store.file,
            anchorFile: store.anchor().file,
            cityApi: null,
            batch: { maxItems: config.sync.batchMaxItems, maxBytes: config.sync.batchMaxBytes },
            intervalMs: config.sync.intervalSec * 1000,
            fetch: { kind: 'plain' },
            leaseOwner: clientId,
            integrity: integrity(store),
          },
          getKey: () => keyProvider().getKey({ mayCreate: false, dbFile: store.file }),
          ...(opts.now ? { now: opts.now } : {}),
        })
    : undefined;
  const threaded: OpenDeskOptions['createSync'] = host
    ? ({ store, events, cityApi: api, config: c, logger: l }) =>
        createThreadedSync({
          host,
          store,
          events,
          logger: l,
          init: {
            dbFile: store.file,
            anchorFile: store.anchor().file,
            cityApi: { url: api.url, clientId: api.clientId, secret: api.secret, timeoutMs: api.timeoutMs },
            batch: { maxItems: c.sync.batchMaxItems, maxBytes: c.sync.batchMaxBytes },
            intervalMs: c.sync.intervalSec * 1000,
            fetch: fetchSpec(api),
            leaseOwner: api.clientId,
            integrity: integrity(store),
          },
          getKey: () => keyProvider().getKey({ mayCreate: false, dbFile: store.file }),
          ...(opts.now ? { now: opts.now } : {}),
        })
    : undefined;
  const open = () =>
    openDesk({
      config,
      dataDir: deskDir,
      keyProvider: keyProvider(),
      cityApi: cityReady,
      host: { version: opts.version, configFile: opts.configFile ?? null, notices, ...(opts.lockedKeys ? { lockedKeys: opts.lockedKeys } : {}) },
      ...(cityStarting ? { trainingCity: cityStarting.then((c) => c.admin) } : {}),
      logger,
      ...(opts.now ? { now: opts.now } : {}),
      // setup area: a training desk's sync talks to the embedded simulator only, and checks that it is one.
      createSync: threaded
        ? threaded
        : training
        ? (deps) => createDeskSync({ ...deps, fetch: guardTrainingFetch({ trainingUrl: deps.cityApi.url, identity: TRAINING_CITY_IDENTITY, logger }) })
        : (deps) => createDeskSync({ ...deps, ...(deps.cityApi.fetch ? { fetch: deps.cityApi.fetch } : {}) }),
      ...(opts.printPort ? { printPort: opts.printPort } : {}),
      ...(backgroundCheck ? { backgroundCheck } : {}),
      ...(opts.startSyncAfterPage ? { startSyncAfterPage: true } : {}),
    });
  let desk: Desk;
  try {
    try {
      desk = await open();
    } catch (e) {
      if (!(e instanceof DeskModeMismatchError)) throw e;
      notices.push(setAsideModeFolder(dataDir, mode, e.found, logger, opts.now?.()));
      logger.warn(notices[notices.length - 1]!);
      mkdirSync(deskDir, { recursive: true, mode: 0o700 });
      desk = await open();
    }
  } catch (e) {
    // The city may still be starting when the store's open failed: wait for it, then stop it.
    await cityStarting?.then(
      (c) => c.close(),
      () => undefined,
    );
    await closePinned?.();
    throw e;
  }

  return {
    dispatch: desk.dispatch,
    events: desk.events,
    desk,
    info: { training, cityApiUrl: cityApi?.url ?? null, dataDir, version: opts.version, notices },
    trainingCity,
    async close() {
      await desk.close();
      await trainingCity?.close();
      await closePinned?.();
    },
  };
}
