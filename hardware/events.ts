/**
 * Where the drivers send what they see: an injected sink typed with the domain's event schemas. `core/api`'s
 * EventHub fits it as is (`emit(name, payload)`), so the KioskApi pushes these payloads unchanged.
 */
import type { BarcodeScanned, DeviceStatus, IdCardRead } from '../core/domain/devices';

export interface HardwareEvents {
  idCardRead: IdCardRead;
  barcodeScanned: BarcodeScanned;
  deviceStatus: DeviceStatus;
}
export type HardwareEventName = keyof HardwareEvents;

export interface HardwareSink {
  emit<E extends HardwareEventName>(event: E, payload: HardwareEvents[E]): void;
}

export type RecordedEvent = { [E in HardwareEventName]: { event: E; payload: HardwareEvents[E] } }[HardwareEventName];

/** A sink that keeps every event (tests, diagnostics, the simulated desk). */
export class RecordingSink implements HardwareSink {
  readonly events: RecordedEvent[] = [];
  private waiters: Array<{ test: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }> = [];

  constructor(private readonly forward?: HardwareSink) {}

  emit<E extends HardwareEventName>(event: E, payload: HardwareEvents[E]): void {
    const e = { event, payload } as RecordedEvent;
    this.events.push(e);
    this.forward?.emit(event, payload);
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
