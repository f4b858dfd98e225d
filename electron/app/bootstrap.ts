/**
 * The composition root both shells share (no Electron import here): given the desk's configuration, it starts
 * the embedded city-API simulator in training mode, opens the desk (store, devices, sync, KioskApi) and hands
 * back `dispatch` and `events` for the shell to serve over IPC or HTTP.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startCitySimulator, type CitySimulator } from '../../city-api/server';
import { FileKeyProvider, type KeyProvider } from '../../db';
import { isTrainingMode, type DeskConfig } from '../../core/config/schema';
import { openDesk, type CityApiEndpoint, type Desk } from '../../core/desk';
import type { Logger } from '../../core/api/ports';
import type { Dispatch } from '../../core/api/dispatch';
import type { EventHub } from '../../core/api/events';
import { createSyncEngine } from '../../core/sync';
import { APP_VERSION } from './version';

export interface StartDeskOptions {
  dataDir: string;
  config: DeskConfig;
  /** The IT config file in use (shown on diagnostics), null for built-in defaults. */
  configFile?: string | null;
  /** Default: a 0600 key file `desk.key` in dataDir (the Electron shell passes its safeStorage provider). */
  keyProvider?: KeyProvider;
  /** The city API secret, already decrypted by the shell (safeStorage); default `config.cityApi.clientSecret`. */
  cityApiSecret?: string;
  logger: Logger;
  now?: () => Date;
}

export interface RunningDesk {
  dispatch: Dispatch;
  events: EventHub;
  desk: Desk;
  info: { training: boolean; cityApiUrl: string | null; dataDir: string; version: string };
  /** Training mode only: the embedded city simulator (tests use its admin to simulate outages). */
  trainingCity: CitySimulator | null;
  close(): Promise<void>;
}

export async function startDesk(opts: StartDeskOptions): Promise<RunningDesk> {
  const { config, logger } = opts;
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const training = isTrainingMode(config);

  let trainingCity: CitySimulator | null = null;
  let cityApi: CityApiEndpoint | null = null;
  if (training) {
    trainingCity = await startCitySimulator({
      port: 0,
      host: '127.0.0.1',
      dataFile: path.join(dataDir, 'training-city.db'),
      credentials: 'any',
    });
    cityApi = { url: trainingCity.url, clientId: `${config.hospitalCode}:${config.deskId}`, secret: 'training-desk-secret', timeoutMs: 10_000 };
    logger.info('training mode: embedded city simulator started', { url: trainingCity.url });
  } else if (config.cityApi) {
    const secret = opts.cityApiSecret ?? config.cityApi.clientSecret;
    if (!secret) logger.warn('no city API secret configured: requests will queue until IT sets one');
    cityApi = { url: config.cityApi.url, clientId: `${config.hospitalCode}:${config.deskId}`, secret: secret ?? '', timeoutMs: config.cityApi.timeoutMs };
  }

  let desk: Desk;
  try {
    desk = await openDesk({
      config,
      dataDir,
      keyProvider: opts.keyProvider ?? new FileKeyProvider(path.join(dataDir, 'desk.key')),
      cityApi,
      host: { version: APP_VERSION, configFile: opts.configFile ?? null },
      logger,
      ...(opts.now ? { now: opts.now } : {}),
      createSync: ({ store, events, cityApi: api, config: c, logger: l }) =>
        createSyncEngine({
          store,
          events,
          cityApi: api,
          batch: { maxItems: c.sync.batchMaxItems, maxBytes: c.sync.batchMaxBytes },
          intervalMs: c.sync.intervalSec * 1000,
          logger: l,
        }),
    });
  } catch (e) {
    await trainingCity?.close();
    throw e;
  }

  return {
    dispatch: desk.dispatch,
    events: desk.events,
    desk,
    info: { training, cityApiUrl: cityApi?.url ?? null, dataDir, version: APP_VERSION },
    trainingCity,
    async close() {
      await desk.close();
      await trainingCity?.close();
    },
  };
}
