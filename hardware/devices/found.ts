/** What a bus shows of a device, and how the desk names it and recognises it as a configured model. */
import type { DeviceModel } from '../../domain/devices';
import type { ByteTransport } from '../transport/types';

export type BusKind = 'usb' | 'serial' | 'hid' | 'simulated';

export interface FoundDevice {
  transport: BusKind;
  vendorId?: number;
  productId?: number;
  /** Serial port path, HID device path, or the simulated device's name (`sim-reader`, `sim-scanner`). */
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
  if (found.transport === 'simulated') return found.path ?? 'sim';
  const ids = `${hex4(found.vendorId)}:${hex4(found.productId)}`;
  return found.transport === 'hid' && found.usagePage !== undefined ? `hid:${ids}:${found.usagePage.toString(16)}` : `${found.transport}:${ids}`;
}

/** Where a device is, for the status: "VID:PID" on USB and HID, the path on a serial port. */
export function deviceAddress(found: FoundDevice): string | undefined {
  if (found.transport === 'serial' || found.transport === 'simulated') return found.path;
  return found.vendorId === undefined ? undefined : `${hex4(found.vendorId)}:${hex4(found.productId)}`;
}

