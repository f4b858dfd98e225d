/**
 * Injected device handles for tests: a USB bulk device and a node-hid handle that record every transfer and
 * put an IdReaderSimulator (or anything that speaks bytes) behind them.
 */
import { EventEmitter } from 'node:events';
import { TransportBase } from './types';
import type { HidHandle } from './hid';
import type { UsbBulkDevice } from './usb';

/** `bytes` cut at the given points (duplicates and points past the end ignored), as a transport may chunk them. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts)].filter((c) => c <= bytes.length).sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

/** The device side of an injected handle, as a ByteTransport a simulator can `attach` to. */
export class DeviceSide extends TransportBase {
  readonly kind = 'simulated' as const;
  constructor(
    id: string,
    private readonly toHost: (bytes: Uint8Array) => void,
  ) {
    super(id);
  }
  async write(data: Uint8Array) {
    this.toHost(data.slice());
  }
  async close() {
    this.events.close();
  }
}

export type UsbTransfer = { dir: 'out'; endpoint: number; bytes: number[] } | { dir: 'in'; endpoint: number; length: number; bytes: number[] };

export class FakeUsbDevice implements UsbBulkDevice {
  readonly transfers: UsbTransfer[] = [];
  readonly calls: string[] = [];
  opened = false;
  configuration: UsbBulkDevice['configuration'] = null;
  private inQueue: number[] = [];
  private waiting: Array<() => void> = [];
  private gone: Error | null = null;
  readonly device: DeviceSide;

  constructor(
    readonly vendorId = 0x0400,
    readonly productId = 0xc35a,
  ) {
    this.device = new DeviceSide('fake-usb#device', (bytes) => {
      this.inQueue.push(...bytes);
      for (const w of this.waiting.splice(0)) w();
    });
  }

  async open() {
    if (this.gone) throw this.gone;
    this.calls.push('open');
    this.opened = true;
  }
  async close() {
    this.calls.push('close');
    this.opened = false;
  }
  async selectConfiguration(v: number) {
    this.calls.push(`selectConfiguration ${v}`);
    this.configuration = {
      interfaces: [
        { interfaceNumber: 0, alternate: { endpoints: [{ endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 }] } },
        {
          interfaceNumber: 1,
          alternate: {
            endpoints: [
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
              { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
            ],
          },
        },
      ],
    };
  }
  async claimInterface(n: number) {
    this.calls.push(`claimInterface ${n}`);
  }
  async releaseInterface(n: number) {
    this.calls.push(`releaseInterface ${n}`);
  }
  async transferOut(endpoint: number, data: Uint8Array) {
    if (this.gone) throw this.gone;
    this.transfers.push({ dir: 'out', endpoint, bytes: Array.from(data) });
    this.device.events.data(data.slice());
    return { status: 'ok', bytesWritten: data.length };
  }
  async transferIn(endpoint: number, length: number) {
    while (this.inQueue.length === 0) {
      if (this.gone) throw this.gone;
      await new Promise<void>((r) => this.waiting.push(r));
    }
    if (this.gone) throw this.gone;
    const bytes = this.inQueue.splice(0, length);
    this.transfers.push({ dir: 'in', endpoint, length, bytes });
    return { status: 'ok', data: new DataView(Uint8Array.from(bytes).buffer) };
  }
  /** Yank the cable: pending and future transfers fail the way libusb reports it. */
  unplug() {
    this.gone = new Error('LIBUSB_ERROR_NO_DEVICE: no such device (it may have been disconnected)');
    this.opened = false;
    for (const w of this.waiting.splice(0)) w();
  }
}

export class FakeHidHandle extends EventEmitter implements HidHandle {
  readonly written: number[][] = [];
  closedCount = 0;
  readonly device: DeviceSide;

  constructor(
    reportSize = 64,
    private readonly unwrapOut: (report: Uint8Array) => Uint8Array = (r) => r.subarray(1),
  ) {
    super();
    this.device = new DeviceSide('fake-hid#device', (bytes) => {
      for (let o = 0; o < bytes.length; o += reportSize) {
        const r = Buffer.alloc(reportSize);
        Buffer.from(bytes.subarray(o, o + reportSize)).copy(r);
        this.emit('data', r);
      }
    });
  }

  async write(values: number[] | Buffer): Promise<number> {
    const r = Uint8Array.from(values);
    this.written.push(Array.from(r));
    this.device.events.data(this.unwrapOut(r));
    return r.length;
  }

  async close() {
    this.closedCount++;
  }
}
