/**
 * Vendor-specific USB bulk readers (CVR-100U/UC, SS628, iDR2xx and clones, 0400:C35A / 0483:5652) through the
 * `usb` package (WebUSB API): write the whole command to the bulk OUT endpoint, then read IN in 64-byte chunks
 * until the 7 + Len bytes of the answer have arrived. Endpoints are found from the descriptors unless configured
 * (some iDR wrappers use 0x02/0x06 out and 0x81/0x85 in: UNCONFIRMED in general, hence the override).
 */
import { IdCardError } from '../idcard/errors';
import { HEADER_LEN, PREAMBLE } from '../idcard/frame';
import { TransportBase, type ByteTransport } from './types';

/** The part of a WebUSB `USBDevice` (as the `usb` package gives it) this transport uses; tests inject their own. */
export interface UsbBulkDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly opened: boolean;
  readonly configuration: { interfaces: Array<{ interfaceNumber: number; alternate: { endpoints: Array<{ endpointNumber: number; direction: 'in' | 'out'; type: string; packetSize: number }> } }> } | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }>;
  transferIn(endpoint: number, length: number): Promise<{ status: string; data?: DataView | undefined }>;
  clearHalt?(direction: 'in' | 'out', endpoint: number): Promise<void>;
}

export interface UsbBulkOptions {
  id: string;
  /** Endpoint numbers (without the direction bit) and interface; default: the first interface with bulk IN and OUT. */
  endpoints?: { interfaceNumber: number; in: number; out: number };
  chunkSize?: number;
}

export function findBulkEndpoints(device: UsbBulkDevice): { interfaceNumber: number; in: number; out: number } {
  for (const itf of device.configuration?.interfaces ?? []) {
    const eps = itf.alternate.endpoints.filter((e) => e.type === 'bulk');
    const i = eps.find((e) => e.direction === 'in');
    const o = eps.find((e) => e.direction === 'out');
    if (i && o) return { interfaceNumber: itf.interfaceNumber, in: i.endpointNumber, out: o.endpointNumber };
  }
  throw new IdCardError('unplugged', 'USB device has no interface with bulk IN and OUT endpoints');
}

const looksUnplugged = (e: unknown) => /no.?device|disconnect|not found|NotFoundError|LIBUSB_ERROR_(NO_DEVICE|IO)|ENODEV/i.test(String((e as Error)?.message ?? e));

class UsbBulkTransport extends TransportBase {
  readonly kind = 'usb' as const;
  private reading = false;
  /** Bytes of the answer being read (to find 7 + Len), and how many it needs. */
  private answer: number[] = [];
  private need = Infinity;

  constructor(
    id: string,
    private readonly device: UsbBulkDevice,
    private readonly ep: { interfaceNumber: number; in: number; out: number },
    private readonly chunkSize: number,
  ) {
    super(id);
  }

  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    let r: { status: string; bytesWritten: number };
    try {
      r = await this.device.transferOut(this.ep.out, data);
    } catch (e) {
      throw this.fail(e, 'bulk OUT transfer failed');
    }
    if (r.status === 'stall') {
      await this.device.clearHalt?.('out', this.ep.out).catch(() => {});
      throw new IdCardError('bad_status', `${this.id}: bulk OUT endpoint stalled`);
    }
    if (r.bytesWritten !== data.length) throw new IdCardError('bad_length', `${this.id}: wrote ${r.bytesWritten} of ${data.length} bytes`);
    this.answer = [];
    this.need = Infinity;
    if (!this.reading) void this.readAnswer();
  }

  private async readAnswer(): Promise<void> {
    this.reading = true;
    try {
      while (!this.closed && this.answer.length < this.need) {
        const r = await this.device.transferIn(this.ep.in, this.chunkSize);
        if (r.status === 'stall') {
          await this.device.clearHalt?.('in', this.ep.in).catch(() => {});
          continue;
        }
        if (!r.data || r.data.byteLength === 0) continue;
        const chunk = new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength).slice();
        this.track(chunk);
        this.events.data(chunk);
      }
    } catch (e) {
      // A transfer timeout leaves the driver's own timeout to report; a vanished device closes the transport.
      if (looksUnplugged(e)) this.fail(e, 'bulk IN transfer failed');
    } finally {
      this.reading = false;
    }
  }

  /** Learn the answer's total size (7 + Len) once its header has arrived. */
  private track(chunk: Uint8Array): void {
    for (const b of chunk) this.answer.push(b);
    if (this.need !== Infinity) return;
    const a = this.answer;
    for (let i = 0; i + HEADER_LEN <= a.length; i++) {
      if (PREAMBLE.every((p, j) => a[i + j] === p)) {
        this.need = i + HEADER_LEN + ((a[i + 5]! << 8) | a[i + 6]!);
        return;
      }
    }
  }

  private fail(e: unknown, what: string): IdCardError {
    const err = new IdCardError('unplugged', `${this.id}: ${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
    if (looksUnplugged(e)) this.events.close(err);
    return err;
  }

  async close(): Promise<void> {
    this.events.close();
    await this.device.releaseInterface(this.ep.interfaceNumber).catch(() => {});
    await this.device.close().catch(() => {});
  }
}

export async function openUsbBulk(device: UsbBulkDevice, options: UsbBulkOptions): Promise<ByteTransport> {
  try {
    if (!device.opened) await device.open();
    if (!device.configuration) await device.selectConfiguration(1);
    const ep = options.endpoints ?? findBulkEndpoints(device);
    await device.claimInterface(ep.interfaceNumber);
    return new UsbBulkTransport(options.id, device, ep, options.chunkSize ?? 64);
  } catch (e) {
    if (e instanceof IdCardError) throw e;
    throw new IdCardError('unplugged', `cannot open ${options.id}: ${(e as Error)?.message ?? String(e)} (on Linux: check the udev rule)`, { cause: e });
  }
}
