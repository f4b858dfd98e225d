/**
 * HID POS barcode scanners (usage page 0x8C, Bar Code Scanner 0x02), Honeywell's 64-byte input report 0x02:
 * byte 0 report id, byte 1 valid data bytes in this packet (≤ 56), bytes 2–4 AIM symbology id (e.g. `]C0`),
 * bytes 5–60 data, byte 61 Honeywell symbology code, byte 63 = 1 when more packets follow.
 * Other vendors' layouts are UNCONFIRMED: add a parser beside this one and select it per model.
 */
import { ScannerError } from './errors';

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_SCANNER_USAGE = 0x02;
export const HONEYWELL_REPORT_ID = 0x02;
export const HONEYWELL_REPORT_LEN = 64;
export const HONEYWELL_DATA_MAX = 56;
export const MAX_BARCODE_BYTES = 2048;

export interface HidPosPacket {
  symbology: string;
  data: Uint8Array;
  vendorSymbology: number;
  more: boolean;
}

export function parseHoneywellReport(report: Uint8Array): HidPosPacket {
  // Some stacks hand over the report without its id byte (63 bytes): put it back.
  const r = report.length === HONEYWELL_REPORT_LEN - 1 ? Uint8Array.of(HONEYWELL_REPORT_ID, ...report) : report;
  if (r.length !== HONEYWELL_REPORT_LEN) throw new ScannerError('bad_report', `HID POS report of ${report.length} bytes, expected 64`, report);
  if (r[0] !== HONEYWELL_REPORT_ID) throw new ScannerError('bad_report', `HID POS report id 0x${r[0]!.toString(16)}, expected 0x02`, report);
  const n = r[1]!;
  if (n > HONEYWELL_DATA_MAX) throw new ScannerError('bad_report', `HID POS packet claims ${n} data bytes, at most ${HONEYWELL_DATA_MAX} fit`, report);
  const aim = r.subarray(2, 5);
  const symbology = aim[0] === 0x5d ? String.fromCharCode(...aim) : '';
  return { symbology, data: r.slice(5, 5 + n), vendorSymbology: r[61]!, more: r[63] === 1 };
}

export interface ScanRead {
  value: string;
  symbology?: string;
}

const utf8 = new TextDecoder('utf-8');

/** Joins multi-packet HID POS reads; a read whose next packet never comes is dropped after `timeoutMs`. */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private size = 0;
  private symbology = '';
  private startedAt: number | null = null;

  constructor(private readonly timeoutMs = 500) {}

  /** Returns the finished read, or null while more packets are expected. Throws ScannerError on a bad report. */
  push(report: Uint8Array, now = 0): ScanRead | null {
    if (this.startedAt !== null && now - this.startedAt > this.timeoutMs) this.reset();
    const p = parseHoneywellReport(report);
    if (this.parts.length === 0) {
      this.symbology = p.symbology;
      this.startedAt = now;
    }
    this.parts.push(p.data);
    this.size += p.data.length;
    if (this.size > MAX_BARCODE_BYTES) {
      this.reset();
      throw new ScannerError('too_long', `barcode longer than ${MAX_BARCODE_BYTES} bytes`);
    }
    if (p.more) return null;
    const all = new Uint8Array(this.size);
    let o = 0;
    for (const part of this.parts) {
      all.set(part, o);
      o += part.length;
    }
    const symbology = this.symbology;
    this.reset();
    const value = utf8.decode(all).replace(/[\r\n]+$/, '');
    return symbology ? { value, symbology } : { value };
  }

  reset(): void {
    this.parts = [];
    this.size = 0;
    this.symbology = '';
    this.startedAt = null;
  }
}

/** Build the reports a Honeywell scanner sends for `value` (simulator, tests). */
export function encodeHoneywellReports(value: string, symbology = ']C0', vendorSymbology = 0x6a): Uint8Array[] {
  const bytes = new TextEncoder().encode(value);
  const reports: Uint8Array[] = [];
  for (let o = 0; o < bytes.length || reports.length === 0; o += HONEYWELL_DATA_MAX) {
    const part = bytes.subarray(o, o + HONEYWELL_DATA_MAX);
    const r = new Uint8Array(HONEYWELL_REPORT_LEN);
    r[0] = HONEYWELL_REPORT_ID;
    r[1] = part.length;
    for (let i = 0; i < 3; i++) r[2 + i] = symbology.charCodeAt(i) || 0;
    r.set(part, 5);
    r[61] = vendorSymbology;
    r[63] = o + HONEYWELL_DATA_MAX < bytes.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}
