/**
 * What the ID reader and the scanner drivers share: their options, the status they report, the start/stop
 * loop, and opening, attaching and letting go of the device's transport.
 */
import type { DeviceKind, DeviceReason, DeviceStatus, TransportKind } from '../domain/devices';
import { systemClock, TimerLoop, type Clock } from './clock';
import { StatusReporter, type HardwareSink } from './events';
import type { ByteTransport, TransportOpener, Unsubscribe } from './transport/types';

export interface DriverOptions {
  open: TransportOpener;
  sink: HardwareSink;
  deviceId: string;
  model: string;
  transport: TransportKind;
  /** "VID:PID" or the port path, shown with the status. */
  address?: string;
  clock?: Clock;
  /** Time between two attempts to reopen an unplugged device (default 1000 ms). */
  reconnectMs?: number;
}

export abstract class DeviceDriver<O extends DriverOptions> {
  protected readonly clock: Clock;
  protected readonly status: StatusReporter;
  protected readonly loop: TimerLoop;
  protected transport: ByteTransport | null = null;
  private unsubscribe: Unsubscribe[] = [];

  constructor(
    protected readonly options: O,
    kind: DeviceKind,
    /** How status details name the device: "reader", "scanner". */
    private readonly noun: string,
  ) {
    this.clock = options.clock ?? systemClock;
    const base = { deviceId: options.deviceId, kind, model: options.model, transport: options.transport };
    this.status = new StatusReporter(options.sink, options.address !== undefined ? { ...base, address: options.address } : base, () => this.clock.date());
    this.loop = new TimerLoop(this.clock, () => this.step());
  }

  get deviceStatus(): DeviceStatus | null {
    return this.status.current;
  }

  start(): void {
    this.loop.start();
  }

  abstract stop(): Promise<void>;

  /** What the loop runs each time it fires. */
  protected abstract step(): void;

  /** The device's transport, or null (status reported) when it cannot be opened or the driver stopped meanwhile. */
  protected async openTransport(): Promise<ByteTransport | null> {
    let t: ByteTransport;
    try {
      t = await this.options.open();
    } catch (e) {
      const reason = openFailureReason(e);
      this.status.report('disconnected', reason === 'not_found' ? `${this.noun} not connected` : `cannot open the ${this.noun}: ${e instanceof Error ? e.message : String(e)}`, reason);
      return null;
    }
    if (!this.loop.running) {
      await t.close().catch(() => {});
      return null;
    }
    return t;
  }

  /** Use `t` from now on; `onClose` hears only of this transport going away, not of one let go before. */
  protected attach(t: ByteTransport, onData: (chunk: Uint8Array) => void, onClose: (error?: Error) => void): void {
    this.transport = t;
    this.unsubscribe = [
      t.onData(onData),
      t.onClose((error) => {
        if (this.transport === t) onClose(error);
      }),
    ];
  }

  /** Stop listening to the transport and forget it; returns it. */
  protected detach(): ByteTransport | null {
    const t = this.transport;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.transport = null;
    return t;
  }

  /** Detach and close the transport. */
  protected async release(): Promise<void> {
    const t = this.detach();
    if (t && !t.closed) await t.close().catch(() => {});
  }
}

/** Why a device could not be opened, from what the OS or the native module said. */
export function openFailureReason(e: unknown): DeviceReason {
  const message = e instanceof Error ? e.message : String(e);
  if (/EBUSY|Cannot lock port|LIBUSB_ERROR_BUSY|Resource temporarily unavailable/i.test(message)) return 'port_in_use';
  if (/EACCES|EPERM|Permission denied|LIBUSB_ERROR_ACCESS/i.test(message)) return 'no_permission';
  if (/could not be loaded/.test(message)) return 'module_missing';
  if ((e as { code?: unknown } | null)?.code === 'unplugged' || /ENOENT|No such file|not connected|not plugged/i.test(message)) return 'not_found';
  return 'cannot_open';
}
