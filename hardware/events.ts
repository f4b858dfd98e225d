/**
 * Where the drivers send what they see: an injected sink typed with the domain's event schemas. `core/api`'s
 * EventHub fits it as is (`emit(name, payload)`), so the KioskApi pushes these payloads unchanged.
 */
import type { BarcodeScanned, DeviceError, DeviceReason, DeviceStatus, IdCardRead } from '../domain/devices';

export interface HardwareEvents {
  idCardRead: IdCardRead;
  barcodeScanned: BarcodeScanned;
  deviceStatus: DeviceStatus;
}
export type HardwareEventName = keyof HardwareEvents;

/** One overload per event (rather than one generic signature) so that core's generic `EventHub` is assignable. */
export interface HardwareSink {
  emit(event: 'idCardRead', payload: IdCardRead): void;
  emit(event: 'barcodeScanned', payload: BarcodeScanned): void;
  emit(event: 'deviceStatus', payload: DeviceStatus): void;
}

/** Call a sink with a generic event (the overloads cannot be picked for a type parameter). */
export function emitTo<E extends HardwareEventName>(sink: HardwareSink, event: E, payload: HardwareEvents[E]): void {
  (sink.emit as (event: HardwareEventName, payload: unknown) => void)(event, payload);
}

export type RecordedEvent = { [E in HardwareEventName]: { event: E; payload: HardwareEvents[E] } }[HardwareEventName];

/**
 * A sink that keeps every event (tests, diagnostics) and forwards it to `forward`; `next()` waits for one.
 * With `keep: false` it only forwards and serves `next()` (a desk running for days keeps nothing).
 */
export class RecordingSink implements HardwareSink {
  readonly events: RecordedEvent[] = [];
  private waiters: Array<{ test: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }> = [];

  constructor(
    private readonly forward?: HardwareSink,
    private readonly options: { keep?: boolean } = {},
  ) {}

  emit(event: 'idCardRead', payload: IdCardRead): void;
  emit(event: 'barcodeScanned', payload: BarcodeScanned): void;
  emit(event: 'deviceStatus', payload: DeviceStatus): void;
  emit(event: HardwareEventName, payload: HardwareEvents[HardwareEventName]): void {
    const e = { event, payload } as RecordedEvent;
    if (this.options.keep !== false) this.events.push(e);
    if (this.forward) emitTo(this.forward, event, payload);
    for (const w of [...this.waiters]) {
      if (w.test(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }

  /** Resolves with the first event from now on that passes `test`. */
  next(test: (e: RecordedEvent) => boolean): Promise<RecordedEvent> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  clear(): void {
    this.events.length = 0;
  }
}

/**
 * Emits a device status only when its state, reason or detail changed (a reader left unplugged does not flood
 * the UI). An error (or a disconnect after the device was up) is kept as `lastError` after it recovers.
 */
export class StatusReporter {
  private last: DeviceStatus | null = null;
  private lastError: DeviceError | null = null;

  constructor(
    private readonly sink: HardwareSink,
    private readonly base: Pick<DeviceStatus, 'deviceId' | 'kind' | 'model' | 'transport'> & { address?: string },
    private readonly date: () => Date,
  ) {}

  get current(): DeviceStatus | null {
    return this.last;
  }

  report(state: DeviceStatus['state'], detail?: string, reason?: DeviceReason): void {
    if (this.last && this.last.state === state && this.last.detail === detail && this.last.reason === reason) return;
    const at = this.date().toISOString();
    if (reason && (state === 'error' || this.last?.state !== 'disconnected')) this.lastError = { reason, ...(detail !== undefined ? { detail } : {}), at };
    const status: DeviceStatus = { ...this.base, state, at };
    if (reason !== undefined) status.reason = reason;
    if (detail !== undefined) status.detail = detail;
    if (this.lastError) status.lastError = this.lastError;
    this.last = status;
    this.sink.emit('deviceStatus', status);
  }
}
