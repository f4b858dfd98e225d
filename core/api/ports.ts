/**
 * What the KioskApi implementation needs from the rest of the desk, as interfaces: the sync engine, the
 * devices, the receipt renderer and a logger. The shells (Electron, browser mode) plug the real ones in; tests
 * plug real ones too, or leave a port out (the method then answers `unavailable`).
 */
import type { DeviceStatus } from '../../domain/devices';
import type { Parent, Registration, ServiceRequest } from '../../domain/types';
import type { SyncStatus } from './contract';

/** A sync status before the engine has said anything: offline, nothing known yet (the desk with no sync adds why). */
export const SYNC_NOT_STARTED: SyncStatus = {
  online: false,
  running: false,
  queueDepth: 0,
  held: 0,
  lastSuccessAt: null,
  lastError: null,
  nextRunAt: null,
  clockDriftMs: null,
  clockDriftWarning: false,
  state: 'offline',
  reason: 'not_yet',
  lastGoodAt: null,
};

export interface SyncPort {
  /** Run one push + pull cycle now (or join the one running) and return the status after it. */
  syncNow(): Promise<SyncStatus>;
  status(): SyncStatus;
  /** Wake the engine: new requests were queued (no waiting for the schedule). */
  poke(): void;
}

export interface DevicePort {
  list(): DeviceStatus[];
  /** Training mode only: the simulated reader/scanner (absent on a production desk). */
  simulator?: {
    tapCard(parent: Omit<Parent, 'chip'>): Promise<boolean>;
    scan(value: string): Promise<boolean>;
    /** Tap one of the sample cards (hardware/sim/fixtures.ts) by name (issue 12). */
    tapSample?(name: string): Promise<boolean>;
  };
}

/** Training mode only (issue 12): the embedded city simulator's fault switch (its admin `setFaults`). */
export interface TrainingCityFaults {
  setFaults(patch: { latencyMs?: number; errorRate?: number; rateLimitRate?: number; offline?: boolean; retryAfterSec?: number }): unknown;
}

export interface ReceiptPort {
  render(input: {
    registration: Registration;
    requests: ServiceRequest[];
    hospitalName: string;
    clerkName: string;
    training: boolean;
    now: Date;
  }): Promise<Buffer>;
}

export interface CityApiProbe {
  (): Promise<{ reachable: boolean; latencyMs: number | null; detail: string | null }>;
}

/** Structured logger: messages are constant strings; meta never holds names, ID numbers or phones. */
export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
