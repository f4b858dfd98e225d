/**
 * The device manager: enumerates USB, serial and HID devices (gently: enumeration is costly), matches them
 * against the configured models by VID/PID (and usage page / path), starts a reader or scanner driver for each
 * recognised device, and reports every device's status. Drivers reopen their device themselves after an unplug,
 * by enumerating again through the same backend.
 */
import type { BarcodePattern, DeviceModel, DeviceStatus } from '../../domain/devices';
import { systemClock, TimerLoop, type Clock } from '../clock';
import type { HardwareSink } from '../events';
import { IdReaderDriver, type IdReaderDriverOptions } from '../idcard/driver';
import { IdCardError } from '../idcard/errors';
import { ScannerDriver } from '../scanner/driver';
import { HID_POS_USAGE_PAGE } from '../scanner/hidpos';
import { paddedReports, passThroughReports, wrapHid, type HidReportAdapter } from '../transport/hid';
import { loadHid, loadSerial, loadUsb, type Loaded } from '../transport/native';
import { openSerial } from '../transport/serial';
import type { ByteTransport } from '../transport/types';
import { openUsbBulk, type UsbBulkDevice } from '../transport/usb';

export type BusKind = 'usb' | 'serial' | 'hid';

export interface FoundDevice {
  transport: BusKind;
  vendorId?: number;
  productId?: number;
  /** Serial port path or HID device path. */
  path?: string;
  product?: string;
  manufacturer?: string;
  usagePage?: number;
  usage?: number;
  /** USB bus location, e.g. `1-2.3`. */
  location?: string;
}

export interface DeviceBackend {
  readonly transport: BusKind;
  enumerate(): Promise<FoundDevice[]>;
  open(found: FoundDevice, model: DeviceModel): Promise<ByteTransport>;
  /** Why enumerate() found nothing at all (native module missing…), for the diagnostics screen and `npm run devices`. */
  problem?(): string | null;
}

/** `fields` without the ones a native module left out (undefined, null) or empty (''): FoundDevice leaves them unset. */
function present<T extends Record<string, string | number | null | undefined>>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as { [K in keyof T]?: NonNullable<T[K]> };
}

const hex4 = (n: number | undefined) => (n === undefined ? '----' : n.toString(16).padStart(4, '0'));

/** The model a device is, if any: same bus, and every id the model sets matches. A model that sets no id matches nothing. */
export function matchModel(found: FoundDevice, models: DeviceModel[]): DeviceModel | undefined {
  return models.find((m) => {
    if (m.transport !== found.transport) return false;
    if (m.vendorId === undefined && m.productId === undefined && m.path === undefined) return false;
    if (m.vendorId !== undefined && m.vendorId !== found.vendorId) return false;
    if (m.productId !== undefined && m.productId !== found.productId) return false;
    if (m.usagePage !== undefined && m.usagePage !== found.usagePage) return false;
    if (m.usage !== undefined && m.usage !== found.usage) return false;
    if (m.path !== undefined && m.path !== found.path) return false;
    return true;
  });
}

/** Stable id of a device across replugs (a HID path or USB address changes when it is replugged). */
export function deviceId(found: FoundDevice): string {
  if (found.transport === 'serial') return `serial:${found.path}`;
  const ids = `${hex4(found.vendorId)}:${hex4(found.productId)}`;
  return found.transport === 'hid' && found.usagePage !== undefined ? `hid:${ids}:${found.usagePage.toString(16)}` : `${found.transport}:${ids}`;
}

export interface DeviceManagerOptions {
  models: DeviceModel[];
  sink: HardwareSink;
  backends?: DeviceBackend[];
  patterns?: BarcodePattern[];
  clock?: Clock;
  /** Enumeration interval (default 3000 ms). */
  pollMs?: number;
  /** Per-model HID report adapter for HID-class readers (default: zero-padded 64-byte reports). */
  hidReaderAdapter?: (model: DeviceModel) => HidReportAdapter;
  reader?: Partial<Pick<IdReaderDriverOptions, 'pollMs' | 'commandTimeoutMs' | 'readTimeoutMs' | 'withFingerprint' | 'onCard'>>;
}

export interface ListedDevice extends FoundDevice {
  id: string;
  model?: DeviceModel;
}

type Driver = IdReaderDriver | ScannerDriver;

export class DeviceManager {
  private readonly clock: Clock;
  private readonly backends: DeviceBackend[];
  private readonly drivers = new Map<string, Driver>();
  private readonly loop: TimerLoop;

  constructor(private readonly options: DeviceManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.backends = options.backends ?? defaultBackends({ hidReaderAdapter: options.hidReaderAdapter });
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

  problems(): string[] {
    return this.backends.map((b) => b.problem?.() ?? null).filter((p): p is string => p !== null);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    await Promise.all([...this.drivers.values()].map((d) => d.stop()));
    this.drivers.clear();
  }

  list(): DeviceStatus[] {
    return [...this.drivers.values()].map((d) => d.deviceStatus).filter((s): s is DeviceStatus => s !== null);
  }

  /** Start a driver for each recognised device that has none yet. */
  async refresh(): Promise<void> {
    for (const d of await this.scan()) {
      if (!d.model || this.drivers.has(d.id) || !this.loop.running) continue;
      const backend = this.backends.find((b) => b.transport === d.transport)!;
      const driver = this.createDriver(d, d.model, backend);
      this.drivers.set(d.id, driver);
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
    const common = { open, sink: this.options.sink, clock: this.clock, deviceId: id, model: model.name, transport: found.transport, reconnectMs: 2000 };
    if (model.kind === 'scanner') {
      return new ScannerDriver({
        ...common,
        mode: found.usagePage === HID_POS_USAGE_PAGE || model.usagePage === HID_POS_USAGE_PAGE ? 'hidpos' : 'keyboard',
        ...(this.options.patterns ? { patterns: this.options.patterns } : {}),
      });
    }
    return new IdReaderDriver({ ...common, ...this.options.reader });
  }
}

/**
 * A bus behind a lazily loaded native module: `list` and `open` get the module once it loaded; `problem()` says
 * why the last enumeration found nothing (module missing, listing failed) and clears once one succeeds.
 */
function nativeBackend<M>(
  transport: BusKind,
  load: () => Promise<Loaded<M>>,
  what: string,
  bus: { list(module: M): Promise<FoundDevice[]>; open(module: M, found: FoundDevice, model: DeviceModel): Promise<ByteTransport> },
): DeviceBackend {
  let problem: string | null = null;
  return {
    transport,
    problem: () => problem,
    async enumerate() {
      const m = await load();
      if (!m.ok) return (problem = m.error), [];
      try {
        const found = await bus.list(m.module);
        problem = null;
        return found;
      } catch (e) {
        problem = `${what} failed: ${(e as Error).message}`;
        return [];
      }
    },
    async open(found, model) {
      const m = await load();
      if (!m.ok) throw new IdCardError('unplugged', m.error);
      return bus.open(m.module, found, model);
    },
  };
}

/** The real buses, each behind a lazily loaded native module. */
export function defaultBackends(options: { hidReaderAdapter?: ((model: DeviceModel) => HidReportAdapter) | undefined } = {}): DeviceBackend[] {
  const usb = nativeBackend('usb', loadUsb, 'USB enumeration', {
    list: async (m) =>
      (await m.usb.getDevices()).map((d) => ({
        transport: 'usb' as const,
        vendorId: d.vendorId,
        productId: d.productId,
        ...present({ product: d.productName, manufacturer: d.manufacturerName }),
        location: `${d.bus}-${d.ports.join('.')}`,
      })),
    open: async (m, found) => {
      const dev = (await m.usb.getDevices()).find((d) => d.vendorId === found.vendorId && d.productId === found.productId);
      if (!dev) throw new IdCardError('unplugged', `${deviceId(found)} is not connected`);
      return openUsbBulk(dev as unknown as UsbBulkDevice, { id: deviceId(found) });
    },
  });
  const serial = nativeBackend('serial', loadSerial, 'serial port listing', {
    list: async (m) =>
      (await m.SerialPort.list()).map((p) => ({
        transport: 'serial' as const,
        path: p.path,
        ...present({ vendorId: p.vendorId ? parseInt(p.vendorId, 16) : undefined, productId: p.productId ? parseInt(p.productId, 16) : undefined, manufacturer: p.manufacturer }),
      })),
    open: (module, found, model) => openSerial({ path: found.path!, baudRate: model.baudRate ?? 115200, module }),
  });
  const hid = nativeBackend('hid', loadHid, 'HID enumeration', {
    list: async (m) =>
      (await m.devicesAsync()).map((d) => ({
        transport: 'hid' as const,
        vendorId: d.vendorId,
        productId: d.productId,
        ...present({ path: d.path, product: d.product, manufacturer: d.manufacturer, usagePage: d.usagePage, usage: d.usage }),
      })),
    open: async (m, found, model) => {
      if (!found.path) throw new IdCardError('unplugged', `${deviceId(found)} has no HID path`);
      let handle;
      try {
        handle = await m.HIDAsync.open(found.path);
      } catch (e) {
        throw new IdCardError('unplugged', `cannot open ${deviceId(found)}: ${(e as Error).message} (on Linux: check the udev rule for hidraw)`, { cause: e });
      }
      const adapter = model.kind === 'scanner' ? passThroughReports : (options.hidReaderAdapter?.(model) ?? paddedReports());
      return wrapHid(handle, { id: deviceId(found), adapter });
    },
  });
  return [usb, serial, hid];
}
