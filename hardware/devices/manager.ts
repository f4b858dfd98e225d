/**
 * The device manager: enumerates its backends (USB, serial, HID, and training's simulated devices; gently:
 * enumeration is costly), matches what it finds against the models by VID/PID (and usage page / path), starts
 * a reader or scanner driver for each recognised device, and reports every device's status. Hot-plug: a device
 * found later gets its driver at the next enumeration; a driver whose device went away (or failed) reopens it
 * by enumerating again through the same backend, so re-attaching needs no restart.
 */
import type { BarcodePattern, DeviceModel, DeviceStatus } from '../../domain/devices';
import { systemClock, TimerLoop, type Clock } from '../clock';
import type { HardwareSink } from '../events';
import { IdReaderDriver, type IdReaderDriverOptions } from '../idcard/driver';
import { IdCardError } from '../idcard/errors';
import { ScannerDriver, type ScannerReportMode } from '../scanner/driver';
import { HID_POS_USAGE_PAGE } from '../scanner/hidpos';
import type { HidReportAdapter } from '../transport/hid';
import type { ByteTransport } from '../transport/types';
import { defaultBackends } from './backends';
import { deviceAddress, deviceId, matchModel, type DeviceBackend, type FoundDevice } from './found';

export { defaultBackends, type DefaultBackendOptions } from './backends';
export { deviceAddress, deviceId, matchModel, type BusKind, type DeviceBackend, type FoundDevice } from './found';

/** How a scanner reports: lines on a serial port, HID POS reports on usage page 0x8C, keyboard reports otherwise. */
export function scannerMode(found: FoundDevice, model: DeviceModel): ScannerReportMode {
  if (found.transport === 'serial') return 'serial';
  return found.usagePage === HID_POS_USAGE_PAGE || model.usagePage === HID_POS_USAGE_PAGE ? 'hidpos' : 'keyboard';
}

export interface DeviceManagerOptions {
  models: DeviceModel[];
  sink: HardwareSink;
  backends?: DeviceBackend[];
  patterns?: BarcodePattern[];
  clock?: Clock;
  /** Enumeration interval (default 3000 ms). */
  pollMs?: number;
  /** Time between two attempts of a driver to reopen its device (default 2000 ms). */
  reconnectMs?: number;
  /** Per-model HID report adapter for HID-class readers (default: zero-padded 64-byte reports). */
  hidReaderAdapter?: (model: DeviceModel) => HidReportAdapter;
  reader?: Partial<Pick<IdReaderDriverOptions, 'pollMs' | 'commandTimeoutMs' | 'readTimeoutMs' | 'withFingerprint' | 'onCard'>>;
}

export interface ListedDevice extends FoundDevice {
  id: string;
  model?: DeviceModel;
}

/** One line of the device list (diagnostics, `npm run devices`): what the bus shows, and the driver's status. */
export interface DeviceEntry extends ListedDevice {
  /** False for a recognised device that has gone from its bus (its driver waits for it). */
  present: boolean;
  status?: DeviceStatus;
}

type Driver = IdReaderDriver | ScannerDriver;

export class DeviceManager {
  private readonly clock: Clock;
  private readonly backends: DeviceBackend[];
  private readonly drivers = new Map<string, { driver: Driver; device: ListedDevice }>();
  private readonly loop: TimerLoop;

  constructor(private readonly options: DeviceManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.backends =
      options.backends ??
      defaultBackends({ hidReaderAdapter: options.hidReaderAdapter, serialPaths: options.models.flatMap((m) => (m.transport === 'serial' && m.path ? [m.path] : [])) });
    // Enumerate now, then again `pollMs` after each enumeration ends.
    this.loop = new TimerLoop(this.clock, () => void this.refresh().finally(() => this.loop.after(this.options.pollMs ?? 3000)));
  }

  /** Every device on every bus, with the model it was recognised as. */
  async scan(): Promise<ListedDevice[]> {
    const lists = await Promise.all(this.backends.map((b) => b.enumerate().catch(() => [] as FoundDevice[])));
    return lists.flat().map((f) => {
      const model = matchModel(f, this.options.models);
      return model ? { ...f, id: deviceId(f), model } : { ...f, id: deviceId(f) };
    });
  }

  /**
   * THE device list (diagnostics and `npm run devices` show this one): every device the buses hold now, each
   * recognised one with its driver's status, then the recognised ones that have gone (disconnected).
   */
  async inventory(): Promise<DeviceEntry[]> {
    const found = await this.scan();
    const withStatus = (d: ListedDevice, present: boolean): DeviceEntry => {
      const status = this.drivers.get(d.id)?.driver.deviceStatus ?? undefined;
      return status ? { ...d, present, status } : { ...d, present };
    };
    const gone = [...this.drivers.values()].filter(({ device }) => !found.some((f) => f.id === device.id));
    return [...found.map((d) => withStatus(d, true)), ...gone.map(({ device }) => withStatus(device, false))];
  }

  problems(): string[] {
    return this.backends.map((b) => b.problem?.() ?? null).filter((p): p is string => p !== null);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await Promise.all([...this.drivers.values()].map(({ driver }) => driver.stop()));
    this.drivers.clear();
  }

  /** The status of every recognised device (the DevicePort's list). */
  list(): DeviceStatus[] {
    return [...this.drivers.values()].map(({ driver }) => driver.deviceStatus).filter((s): s is DeviceStatus => s !== null);
  }

  /** Start a driver for each recognised device that has none yet. */
  async refresh(): Promise<void> {
    for (const d of await this.scan()) {
      if (!d.model || this.drivers.has(d.id) || !this.loop.running) continue;
      const backend = this.backends.find((b) => b.transport === d.transport)!;
      const driver = this.createDriver(d, d.model, backend);
      this.drivers.set(d.id, { driver, device: d });
      driver.start();
    }
  }

  private createDriver(found: ListedDevice, model: DeviceModel, backend: DeviceBackend): Driver {
    const id = found.id;
    // Reopen by enumerating again: after a replug the path or address may have changed.
    const open = async (): Promise<ByteTransport> => {
      const again = (await backend.enumerate()).find((f) => deviceId(f) === id && matchModel(f, [model]));
      if (!again) throw new IdCardError('unplugged', `${id} is not connected`);
      return backend.open(again, model);
    };
    const address = deviceAddress(found);
    const common = {
      open,
      sink: this.options.sink,
      clock: this.clock,
      deviceId: id,
      model: model.name,
      transport: found.transport,
      reconnectMs: this.options.reconnectMs ?? 2000,
      ...(address !== undefined ? { address } : {}),
    };
    if (model.kind === 'scanner') {
      return new ScannerDriver({ ...common, mode: scannerMode(found, model), ...(this.options.patterns ? { patterns: this.options.patterns } : {}) });
    }
    return new IdReaderDriver({ ...common, ...this.options.reader });
  }
}
