/**
 * What every screen shares: the typed KioskApi client, the session, navigation, the live announcer, the error
 * banner, and who receives the card reader and scanner events right now (the open form, the search, or — by
 * default — the app, which opens a new registration on a card tap).
 */
import { createContext, useContext, type MutableRefObject } from 'react';
import type { KioskClient } from '../../core/api/client';
import type { SessionInfo } from '../../core/api/contract';
import type { ApiError } from '../../core/api/result';
import type { BarcodeScanned, IdCardRead } from '../../domain/devices';
import { formatDeskTime } from '../../domain/dates';

export type Route =
  | { name: 'home' }
  | { name: 'new'; draftId?: string; pending?: PendingDeviceEvent }
  | { name: 'receipt'; registrationId: string; requests: number }
  | { name: 'registrations'; text?: string }
  | { name: 'detail'; id: string }
  | { name: 'amend'; registrationId: string; requestId: string }
  | { name: 'diagnostics' }
  | { name: 'settings' };

export type PendingDeviceEvent = { kind: 'card'; event: IdCardRead; at: number } | { kind: 'scan'; event: BarcodeScanned; at: number };

export interface DeviceConsumer {
  /** `at` is `performance.now()` when the event reached the page. */
  onCard?(e: IdCardRead, at: number): void;
  onScan?(e: BarcodeScanned, at: number): boolean | void;
}

export interface DeskContext {
  client: KioskClient;
  session: SessionInfo;
  route: Route;
  navigate(route: Route): void;
  announce(message: string): void;
  showError(error: ApiError | null): void;
  consumer: MutableRefObject<DeviceConsumer | null>;
  /** The form's submit, for Alt+S wherever focus is. */
  submitRef: MutableRefObject<(() => void) | null>;
  currentDraftId: string | null;
  setCurrentDraftId(id: string | null): void;
  setLanguage(lang: 'zh-CN' | 'en'): void;
}

export const Desk = createContext<DeskContext | null>(null);

export function useDesk(): DeskContext {
  const d = useContext(Desk);
  if (!d) throw new Error('useDesk outside <Desk.Provider>');
  return d;
}

/**
 * Measurements the e2e suite reads (`window.__deskMetrics`): card event → fields filled and rendered, in ms; and
 * (devices bench) the wall-clock instant, epoch ms (performance.timeOrigin + now()), each card's fields were filled.
 */
export const metrics: { cardToFields: number[]; cardToPaint: number[]; cardFilledAtEpochMs: number[] } = { cardToFields: [], cardToPaint: [], cardFilledAtEpochMs: [] };
(globalThis as unknown as { __deskMetrics: typeof metrics }).__deskMetrics = metrics;

/** An instant as the clerk reads it: `YYYY-MM-DD HH:mm` at the desk (UTC+8), in both languages (issue 12). */
export function formatTime(iso: string | null | undefined, _language?: string): string {
  return iso ? formatDeskTime(iso) : '';
}

/** A desk-local minute (`YYYY-MM-DDTHH:mm`) as `YYYY-MM-DD HH:mm`. */
export function formatMinute(local: string | null | undefined): string {
  return local ? formatDeskTime(local) : '';
}
