/**
 * HID keyboard boot reports (8 bytes: modifiers, reserved, up to 6 usage ids) → characters, US layout, the way a
 * barcode scanner in keyboard mode types them. A key counts when it appears in a report (key down); Enter / Tab
 * end a read.
 */
import { ScannerError } from './errors';

const LEFT_SHIFT = 0x02;
const RIGHT_SHIFT = 0x20;
const ROLLOVER = 0x01;

export const KEY_ENTER = 0x28;
export const KEY_TAB = 0x2b;
export const KEYPAD_ENTER = 0x58;

/** US layout, in runs of consecutive usage ids: the characters without and with Shift (0x32, the non-US # key, types none). */
const RUNS: ReadonlyArray<[first: number, plain: string, shifted: string]> = [
  [0x04, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  [0x1e, '1234567890', '!@#$%^&*()'],
  [0x2c, ' -=[]\\', ' _+{}|'],
  [0x33, ";'`,./", ':"~<>?'],
];
const plain: Record<number, string> = {};
const shifted: Record<number, string> = {};
for (const [first, p, s] of RUNS) {
  for (let i = 0; i < p.length; i++) {
    plain[first + i] = p[i]!;
    shifted[first + i] = s[i]!;
  }
}

/** The character a usage id types, or null (modifiers, function keys…). */
export function usageToChar(usage: number, shift: boolean): string | null {
  return (shift ? shifted[usage] : plain[usage]) ?? null;
}

/** The usage id and shift state that type `ch` (simulator); null for characters a US keyboard cannot type. */
export function charToUsage(ch: string): { usage: number; shift: boolean } | null {
  for (const [u, c] of Object.entries(plain)) if (c === ch) return { usage: Number(u), shift: false };
  for (const [u, c] of Object.entries(shifted)) if (c === ch) return { usage: Number(u), shift: true };
  return null;
}

export interface KeyboardDecoderOptions {
  /** Usage ids that end a read (default Enter, keypad Enter, Tab). */
  terminators?: number[];
  /** A read with no key for this long is dropped (default 200 ms). */
  idleMs?: number;
  maxLength?: number;
}

/** Decodes a stream of boot reports into finished reads (one string per terminator). */
export class KeyboardReportDecoder {
  private prev = new Set<number>();
  private buf = '';
  private lastAt: number | null = null;
  private readonly terminators: Set<number>;
  private readonly idleMs: number;
  private readonly maxLength: number;

  constructor(options: KeyboardDecoderOptions = {}) {
    this.terminators = new Set(options.terminators ?? [KEY_ENTER, KEYPAD_ENTER, KEY_TAB]);
    this.idleMs = options.idleMs ?? 200;
    this.maxLength = options.maxLength ?? 512;
  }

  push(report: Uint8Array, now = 0): string[] {
    const r = report.length === 9 ? report.subarray(1) : report;
    if (r.length !== 8) throw new ScannerError('bad_report', `keyboard boot report of ${report.length} bytes, expected 8`, report);
    const keys = r.subarray(2, 8);
    if (keys.every((k) => k === ROLLOVER)) return []; // phantom state: too many keys at once
    if (this.lastAt !== null && now - this.lastAt > this.idleMs) this.buf = '';
    const shift = (r[0]! & (LEFT_SHIFT | RIGHT_SHIFT)) !== 0;
    const down = new Set<number>();
    const out: string[] = [];
    for (const k of keys) {
      if (k === 0) continue;
      down.add(k);
      if (this.prev.has(k)) continue; // still held, not a new press
      this.lastAt = now;
      if (this.terminators.has(k)) {
        if (this.buf.length > 0) out.push(this.buf);
        this.buf = '';
        continue;
      }
      const ch = usageToChar(k, shift);
      if (ch === null) continue;
      this.buf += ch;
      if (this.buf.length > this.maxLength) {
        this.buf = '';
        this.prev = down;
        throw new ScannerError('too_long', `keyboard read longer than ${this.maxLength} characters`);
      }
    }
    this.prev = down;
    return out;
  }

  reset(): void {
    this.prev.clear();
    this.buf = '';
    this.lastAt = null;
  }
}

/** The press/release reports a keyboard-mode scanner sends for `value` + terminator (simulator, tests). */
export function keyboardReportsFor(value: string, terminator: number = KEY_ENTER): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (const ch of value) {
    const k = charToUsage(ch);
    if (!k) throw new RangeError(`character U+${ch.codePointAt(0)!.toString(16)} cannot be typed by a US keyboard`);
    reports.push(Uint8Array.of(k.shift ? LEFT_SHIFT : 0, 0, k.usage, 0, 0, 0, 0, 0));
    reports.push(new Uint8Array(8));
  }
  reports.push(Uint8Array.of(0, 0, terminator, 0, 0, 0, 0, 0), new Uint8Array(8));
  return reports;
}
