/**
 * The real buses (USB, serial, HID), each behind a lazily loaded native module, as DeviceBackends of the
 * device manager. A serial port named by a configured model's `path` is listed when that path exists even if
 * the OS's port listing does not show it (a pseudo-terminal, a symlink made by a udev rule).
 */
import { existsSync } from 'node:fs';
import type { DeviceModel } from '../../domain/devices';
import { IdCardError } from '../idcard/errors';
import { paddedReports, passThroughReports, wrapHid, type HidReportAdapter } from '../transport/hid';
import { loadHid, loadSerial, loadUsb, type Loaded } from '../transport/native';
import { openSerial } from '../transport/serial';
import type { ByteTransport } from '../transport/types';
import { openUsbBulk, type UsbBulkDevice } from '../transport/usb';
import { deviceId, type BusKind, type DeviceBackend, type FoundDevice } from './found';

/** `fields` without the ones a native module left out (undefined, null) or empty (''): FoundDevice leaves them unset. */
function present<T extends Record<string, string | number | null | undefined>>(fields: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as { [K in keyof T]?: NonNullable<T[K]> };
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

export interface DefaultBackendOptions {
  /** Per-model HID report adapter for HID-class readers (default: zero-padded 64-byte reports). */
  hidReaderAdapter?: ((model: DeviceModel) => HidReportAdapter) | undefined;
  /** Serial paths the configured models name (listed whenever the path exists). */
  serialPaths?: string[];
}

/** The real buses, each behind a lazily loaded native module. */
export function defaultBackends(options: DefaultBackendOptions = {}): DeviceBackend[] {
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
    list: async (m) => {
      // Enumeration needs `udevadm` on Linux; a machine without it still opens the ports IT named in the config
      // (a missing udevadm used to leave a configured reader "not connected" for ever).
      const ports = await m.SerialPort.list().catch(() => []);
      const listed: FoundDevice[] = ports.map((p) => ({
        transport: 'serial' as const,
        path: p.path,
        ...present({ vendorId: p.vendorId ? parseInt(p.vendorId, 16) : undefined, productId: p.productId ? parseInt(p.productId, 16) : undefined, manufacturer: p.manufacturer }),
      }));
      const named = [...new Set(options.serialPaths ?? [])].filter((p) => !listed.some((l) => l.path === p) && existsSync(p));
      return [...listed, ...named.map((path) => ({ transport: 'serial' as const, path }))];
    },
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
