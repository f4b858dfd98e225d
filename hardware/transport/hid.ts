/**
 * HID devices through node-hid (HIDAsync): barcode scanners in HID POS mode (one chunk per input report, report
 * id first) and HID-class ID readers, whose vendor framing differs per model (UNCONFIRMED): a per-model report
 * adapter turns reader frames into output reports and input reports back into frame bytes.
 */
import { IdCardError } from '../idcard/errors';
import { TransportBase, type ByteTransport } from './types';

/** The part of node-hid's `HIDAsync` this transport uses; tests inject a recording handle. */
export interface HidHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface HidReportAdapter {
  readonly name: string;
  /** Output reports (report id first) carrying `frame`. */
  wrap(frame: Uint8Array): Uint8Array[];
  /** The stream bytes an input report carries. */
  unwrap(report: Uint8Array): Uint8Array;
}

/** Scanners: reports pass through untouched (the scanner decoders parse whole reports). */
export const passThroughReports: HidReportAdapter = {
  name: 'pass-through',
  wrap: (frame) => [Uint8Array.of(0, ...frame)],
  unwrap: (report) => report,
};

/**
 * HID-class reader, zero-padded fixed-size reports: output = report id + frame bytes in `reportSize` pieces;
 * input = (report id, when the OS hands it over) + frame bytes + padding. Padding is harmless: the frame
 * assembler skips anything that is not a preamble.
 */
export function paddedReports(options: { reportId?: number; reportSize?: number; inputHasReportId?: boolean } = {}): HidReportAdapter {
  const id = options.reportId ?? 0;
  const size = options.reportSize ?? 64;
  return {
    name: `padded-${size}`,
    wrap(frame) {
      const out: Uint8Array[] = [];
      for (let o = 0; o < frame.length; o += size) {
        const r = new Uint8Array(size + 1);
        r[0] = id;
        r.set(frame.subarray(o, o + size), 1);
        out.push(r);
      }
      return out;
    },
    unwrap: (report) => (options.inputHasReportId ? report.subarray(1) : report),
  };
}

/** HID-class reader whose reports carry a byte count after the report id (another layout seen in vendor code). */
export function lengthPrefixedReports(options: { reportId?: number; reportSize?: number } = {}): HidReportAdapter {
  const id = options.reportId ?? 0;
  const size = options.reportSize ?? 64;
  const room = size - 1;
  return {
    name: `length-prefixed-${size}`,
    wrap(frame) {
      const out: Uint8Array[] = [];
      for (let o = 0; o < frame.length; o += room) {
        const part = frame.subarray(o, o + room);
        const r = new Uint8Array(size + 1);
        r[0] = id;
        r[1] = part.length;
        r.set(part, 2);
        out.push(r);
      }
      return out;
    },
    unwrap(report) {
      const body = report[0] === id && report.length === size + 1 ? report.subarray(1) : report;
      const n = Math.min(body[0] ?? 0, body.length - 1);
      return body.subarray(1, 1 + n);
    },
  };
}

class HidTransport extends TransportBase {
  readonly kind = 'hid' as const;

  constructor(
    id: string,
    private readonly handle: HidHandle,
    private readonly adapter: HidReportAdapter,
  ) {
    super(id);
    handle.on('data', (buf: Buffer) => {
      const bytes = adapter.unwrap(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength).slice());
      if (bytes.length > 0) this.events.data(bytes);
    });
    handle.on('error', (err: Error) => {
      this.events.close(new IdCardError('unplugged', `${id}: ${err.message}`, { cause: err }));
    });
  }

  async write(data: Uint8Array): Promise<void> {
    this.assertOpen();
    for (const report of this.adapter.wrap(data)) {
      try {
        await this.handle.write(Buffer.from(report));
      } catch (e) {
        const err = new IdCardError('unplugged', `${this.id}: write failed: ${(e as Error).message}`, { cause: e });
        this.events.close(err);
        throw err;
      }
    }
  }

  async close(): Promise<void> {
    this.events.close();
    this.handle.removeAllListeners('data');
    await this.handle.close().catch(() => {});
  }
}

export function wrapHid(handle: HidHandle, options: { id: string; adapter?: HidReportAdapter }): ByteTransport {
  return new HidTransport(options.id, handle, options.adapter ?? passThroughReports);
}
