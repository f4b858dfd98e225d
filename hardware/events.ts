/**
 * Where the drivers send what they see: an injected sink typed with the domain's event schemas. `core/api`'s
 * EventHub fits it as is (`emit(name, payload)`), so the KioskApi pushes these payloads unchanged.
 */
import type { BarcodeScanned, DeviceStatus, IdCardRead } from '../domain/devices';

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

/** A sink that keeps every event (tests, diagnostics, the simulated desk). */
export class RecordingSink implements HardwareSink {
  readonly events: RecordedEvent[] = [];
  private waiters: Array<{ test: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }> = [];

  constructor(private readonly forward?: HardwareSink) {}

  emit(event: 'idCardRead', payload: IdCardRead): void;
  emit(event: 'barcodeScanned', payload: BarcodeScanned): void;
  emit(event: 'deviceStatus', payload: DeviceStatus): void;
  emit(event: HardwareEventName, payload: HardwareEvents[HardwareEventName]): void {
    const e = { event, payload } as RecordedEvent;
    this.events.push(e);
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

/** Emits a device status only when its state or detail changed (a reader left unplugged does not flood the UI). */
export class StatusReporter {
  private last: DeviceStatus | null = null;

  constructor(
    private readonly sink: HardwareSink,
    private readonly base: Pick<DeviceStatus, 'deviceId' | 'kind' | 'model' | 'transport'>,
    private readonly date: () => Date,
  ) {}

  get current(): DeviceStatus | null {
    return this.last;
  }

  report(state: DeviceStatus['state'], detail?: string): void {
    if (this.last && this.last.state === state && this.last.detail === detail) return;
    const status: DeviceStatus = { ...this.base, state, at: this.date().toISOString() };
    if (detail !== undefined) status.detail = detail;
    this.last = status;
    this.sink.emit('deviceStatus', status);
  }
}
