/**
 * One byte-stream transport for every device: USB bulk, serial, HID (one chunk per report) and simulated links.
 * Data arrives in chunks of any size; the frame assembler puts frames back together.
 */
import type { TransportKind } from '../../domain/devices';
import { IdCardError } from '../idcard/errors';

export type Unsubscribe = () => void;

export interface ByteTransport {
  readonly kind: TransportKind;
  /** Stable id for status events, e.g. `serial:/dev/ttyUSB0`, `usb:0400:c35a@1-2`. Never personal data. */
  readonly id: string;
  readonly closed: boolean;
  /** Write a whole command (or HID report). Rejects with an `unplugged` IdCardError when the device is gone. */
  write(data: Uint8Array): Promise<void>;
  /** Subscribe to incoming chunks (HID: one chunk = one input report, report id first). */
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
  /** Called once when the transport closes: by `close()`, or because the device went away (`error` set). */
  onClose(listener: (error?: Error) => void): Unsubscribe;
  close(): Promise<void>;
}

/** Opens (or re-opens after an unplug) the transport of one device; throws an `unplugged` IdCardError when absent. */
export type TransportOpener = () => Promise<ByteTransport>;

/** Shared listener bookkeeping for transports. */
export class TransportEvents {
  private dataListeners = new Set<(chunk: Uint8Array) => void>();
  private closeListeners = new Set<(error?: Error) => void>();
  closed = false;

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (error?: Error) => void): Unsubscribe {
    if (this.closed) {
      queueMicrotask(() => listener());
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  data(chunk: Uint8Array): void {
    if (this.closed) return;
    for (const l of [...this.dataListeners]) l(chunk);
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.dataListeners.clear();
    for (const l of listeners) l(error);
  }
}

/**
 * What every transport shares: its id, the listener bookkeeping (`events`: the transport itself feeds it what
 * arrives and tells it when the device went away) and the "closed" check before a write.
 */
export abstract class TransportBase implements ByteTransport {
  abstract readonly kind: TransportKind;
  readonly events = new TransportEvents();

  constructor(readonly id: string) {}

  get closed(): boolean {
    return this.events.closed;
  }

  onData(listener: (chunk: Uint8Array) => void): Unsubscribe {
    return this.events.onData(listener);
  }

  onClose(listener: (error?: Error) => void): Unsubscribe {
    return this.events.onClose(listener);
  }

  /** Writes to a closed transport reject as `unplugged`. */
  protected assertOpen(): void {
    if (this.closed) throw new IdCardError('unplugged', `${this.id} is closed`);
  }

  abstract write(data: Uint8Array): Promise<void>;
  abstract close(): Promise<void>;
}
