/**
 * The GA/T 467 reader frame: `AA AA AA 96 69`, a 2-byte big-endian length (bytes after it, checksum included),
 * the body (CMD PARA data host→reader; SW1 SW2 SW3 data reader→host) and an XOR checksum over every byte after
 * the preamble. One codec for USB bulk, serial and HID (after the HID adapter unwraps its reports).
 */
import { IdCardError, describeSw3 } from './errors';

export const PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
/** Preamble + length field. */
export const HEADER_LEN = 7;
/** The longest known response is text + photo + fingerprint (2321 bytes, Len 2314); anything above this is noise. */
export const DEFAULT_MAX_LEN = 4096;
/** Smallest body: CMD PARA (command) or SW1 SW2 SW3 (response), plus the checksum. */
export const MIN_COMMAND_LEN = 3;
export const MIN_RESPONSE_LEN = 4;

export const SW_SUCCESS = 0x90;
export const SW_NO_CONTENT = 0x91;
export const SW_FIND_OK = 0x9f;
export const SW_NO_CARD = 0x80;
export const SW_SELECT_FAILED = 0x81;

export const COMMANDS = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readNewestAddress: [0x30, 0x03],
  readTextPhotoFingerprint: [0x30, 0x10],
} as const satisfies Record<string, readonly [number, number]>;
export type CommandName = keyof typeof COMMANDS;

export const TEXT_LEN = 256;
export const PHOTO_LEN = 1024;

export function xorChecksum(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i]!;
  return x;
}

/** Wrap a body (CMD PARA data, or SW1 SW2 SW3 data) into a whole frame. */
export function encodeFrame(body: Uint8Array | readonly number[]): Uint8Array {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError(`frame body of ${body.length} bytes does not fit a 2-byte length`);
  const out = new Uint8Array(HEADER_LEN + len);
  out.set(PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(body, HEADER_LEN);
  out[out.length - 1] = xorChecksum(out, 5, out.length - 1);
  return out;
}

export function encodeCommand(name: CommandName, data: Uint8Array | readonly number[] = []): Uint8Array {
  const [cmd, para] = COMMANDS[name];
  return encodeFrame([cmd, para, ...data]);
}

export function encodeResponse(sw3: number, data: Uint8Array | readonly number[] = [], sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

export interface RawFrame {
  /** The whole frame, preamble to checksum. */
  bytes: Uint8Array;
  /** Between the length field and the checksum. */
  body: Uint8Array;
}

/** Validate one complete frame (exactly 7 + Len bytes). */
export function parseFrame(bytes: Uint8Array, maxLen = DEFAULT_MAX_LEN): RawFrame {
  if (bytes.length < HEADER_LEN) throw new IdCardError('bad_length', `frame of ${bytes.length} bytes is shorter than its 7-byte header`, { bytes });
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (bytes[i] !== PREAMBLE[i]) throw new IdCardError('bad_length', 'frame does not start with the preamble AA AA AA 96 69', { bytes });
  }
  const len = (bytes[5]! << 8) | bytes[6]!;
  if (len < MIN_COMMAND_LEN || len > maxLen) throw new IdCardError('bad_length', `length field ${len} is outside ${MIN_COMMAND_LEN}..${maxLen}`, { bytes });
  if (bytes.length !== HEADER_LEN + len) {
    throw new IdCardError('bad_length', `length field says ${HEADER_LEN + len} bytes in all, got ${bytes.length}`, { bytes });
  }
  const expected = xorChecksum(bytes, 5, bytes.length - 1);
  const got = bytes[bytes.length - 1]!;
  if (expected !== got) throw badChecksum(bytes, expected, got);
  return { bytes, body: bytes.subarray(HEADER_LEN, bytes.length - 1) };
}

function badChecksum(bytes: Uint8Array, expected: number, got: number): IdCardError {
  return new IdCardError('bad_checksum', `checksum 0x${hex(got)} does not match the computed 0x${hex(expected)}`, { bytes });
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0').toUpperCase();
}

export interface ResponseFrame {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
  bytes: Uint8Array;
}

export function parseResponse(frame: RawFrame | Uint8Array): ResponseFrame {
  const raw = frame instanceof Uint8Array ? parseFrame(frame) : frame;
  if (raw.body.length < 3) {
    throw new IdCardError('bad_length', `response body of ${raw.body.length} bytes has no room for SW1 SW2 SW3`, { bytes: raw.bytes });
  }
  return { sw1: raw.body[0]!, sw2: raw.body[1]!, sw3: raw.body[2]!, data: raw.body.subarray(3), bytes: raw.bytes };
}

export interface CommandFrame {
  cmd: number;
  para: number;
  data: Uint8Array;
  name: CommandName | undefined;
  bytes: Uint8Array;
}

export function parseCommand(frame: RawFrame | Uint8Array): CommandFrame {
  const raw = frame instanceof Uint8Array ? parseFrame(frame) : frame;
  if (raw.body.length < 2) throw new IdCardError('bad_length', 'command body has no room for CMD PARA', { bytes: raw.bytes });
  const cmd = raw.body[0]!;
  const para = raw.body[1]!;
  const name = (Object.keys(COMMANDS) as CommandName[]).find((k) => COMMANDS[k][0] === cmd && COMMANDS[k][1] === para);
  return { cmd, para, data: raw.body.subarray(2), name, bytes: raw.bytes };
}

/** Throw the typed error a status deserves unless SW3 is one of `ok`. */
export function expectStatus(resp: ResponseFrame, what: string, ...ok: number[]): ResponseFrame {
  if (ok.includes(resp.sw3)) return resp;
  const code = resp.sw3 === SW_NO_CARD || resp.sw3 === SW_SELECT_FAILED ? 'no_card' : 'bad_status';
  throw new IdCardError(code, `${what}: reader answered ${describeSw3(resp.sw3)}`, { bytes: resp.bytes, status: resp.sw3 });
}

export interface CardPayload {
  /** The 256-byte UCS-2LE text block. */
  text: Uint8Array;
  /** WLT-compressed photo (1024 bytes), kept as is: only vendor libraries decode it. Empty when absent. */
  photo: Uint8Array;
  /** Fingerprint templates (2 × 512 bytes), only with the 30 10 command; empty when the card has none. */
  fingerprint: Uint8Array;
}

/** Data of a successful 30 01 (or 30 10 with `withFingerprint`) response → text, photo and fingerprint. */
export function decodeReadData(resp: ResponseFrame, withFingerprint = false): CardPayload {
  const d = resp.data;
  const nLens = withFingerprint ? 3 : 2;
  if (d.length < nLens * 2) {
    throw new IdCardError('bad_length', `read response data of ${d.length} bytes has no room for ${nLens} length fields`, { bytes: resp.bytes });
  }
  const lens: number[] = [];
  for (let i = 0; i < nLens; i++) lens.push((d[i * 2]! << 8) | d[i * 2 + 1]!);
  const [textLen, photoLen, fpLen = 0] = lens as [number, number, number?];
  if (textLen !== TEXT_LEN) {
    throw new IdCardError('bad_length', `text length field is ${textLen}, expected ${TEXT_LEN}`, { bytes: resp.bytes });
  }
  const need = nLens * 2 + textLen + photoLen + fpLen;
  if (d.length !== need) {
    throw new IdCardError('bad_length', `read response holds ${d.length} data bytes, its length fields promise ${need}`, { bytes: resp.bytes });
  }
  const o = nLens * 2;
  const text = d.slice(o, o + textLen);
  const photo = d.slice(o + textLen, o + textLen + photoLen);
  const fingerprint = d.slice(o + textLen + photoLen, o + textLen + photoLen + fpLen);
  return { text, photo, fingerprint };
}

/** Build the data of a read response (simulator, tests). */
export function encodeReadData(payload: { text: Uint8Array; photo: Uint8Array; fingerprint?: Uint8Array }, withFingerprint = false): Uint8Array {
  const fp = payload.fingerprint ?? new Uint8Array(0);
  const lens = withFingerprint ? [payload.text.length, payload.photo.length, fp.length] : [payload.text.length, payload.photo.length];
  const out = new Uint8Array(lens.length * 2 + payload.text.length + payload.photo.length + (withFingerprint ? fp.length : 0));
  lens.forEach((l, i) => {
    out[i * 2] = l >> 8;
    out[i * 2 + 1] = l & 0xff;
  });
  let o = lens.length * 2;
  out.set(payload.text, o);
  out.set(payload.photo, (o += payload.text.length));
  if (withFingerprint) out.set(fp, o + payload.photo.length);
  return out;
}

/**
 * The SAM id (16 data bytes of the 12 FF answer), printed the way vendor tools print it:
 * `AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE` from little-endian u16, u16, u32, u32, u32.
 * UNCONFIRMED beyond vendor sample code: shown on the diagnostics screen only, never relied on.
 */
export function decodeSamId(data: Uint8Array): string {
  if (data.length < 16) throw new IdCardError('bad_length', `SAM id needs 16 bytes, got ${data.length}`);
  const v = new DataView(data.buffer, data.byteOffset, 16);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(v.getUint16(0, true), 2)}.${pad(v.getUint16(2, true), 2)}-${pad(v.getUint32(4, true), 8)}-${pad(v.getUint32(8, true), 10)}-${pad(v.getUint32(12, true), 10)}`;
}

export function encodeSamId(parts: [number, number, number, number, number]): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint16(0, parts[0], true);
  v.setUint16(2, parts[1], true);
  v.setUint32(4, parts[2], true);
  v.setUint32(8, parts[3], true);
  v.setUint32(12, parts[4], true);
  return out;
}

export type AssemblerOutput = { frame: RawFrame; error?: undefined } | { frame?: undefined; error: IdCardError };

export interface AssemblerOptions {
  /** Largest acceptable Len field (default 4096). */
  maxLen?: number;
  /** Smallest acceptable Len field: 3 for commands (reader side), 4 for responses (host side). */
  minLen?: number;
  /** A frame whose first byte arrived this long ago and is still incomplete is dropped (default 1500 ms). */
  timeoutMs?: number;
}

/**
 * Reassembles frames from chunks split at any boundary (USB transfers, serial reads, HID reports): skips bytes
 * before a preamble, reports a bad length or checksum as a typed error and resynchronises on the next preamble,
 * and gives up on a frame that never completes (`expire`). Never throws.
 */
export class FrameAssembler {
  /** Held bytes live in store[start, end): appending and consuming move indices, not bytes. */
  private store = new Uint8Array(8192);
  private start = 0;
  private end = 0;
  private startedAt: number | null = null;
  readonly maxLen: number;
  readonly minLen: number;
  readonly timeoutMs: number;

  constructor(options: AssemblerOptions = {}) {
    this.maxLen = options.maxLen ?? DEFAULT_MAX_LEN;
    this.minLen = options.minLen ?? MIN_COMMAND_LEN;
    this.timeoutMs = options.timeoutMs ?? 1500;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Bytes of the frame being assembled (diagnostics: pass to a timeout error). */
  partial(): Uint8Array {
    return this.store.slice(this.start, this.end);
  }

  reset(): void {
    this.start = this.end = 0;
    this.startedAt = null;
  }

  private append(chunk: Uint8Array): void {
    const held = this.end - this.start;
    if (this.end + chunk.length > this.store.length) {
      if (held + chunk.length <= this.store.length) {
        this.store.copyWithin(0, this.start, this.end);
      } else {
        const bigger = new Uint8Array(Math.max(this.store.length * 2, held + chunk.length));
        bigger.set(this.store.subarray(this.start, this.end));
        this.store = bigger;
      }
      this.start = 0;
      this.end = held;
    }
    this.store.set(chunk, this.end);
    this.end += chunk.length;
  }

  push(chunk: Uint8Array, now = 0): AssemblerOutput[] {
    if (chunk.length === 0) return [];
    const expired = this.expire(now);
    const out: AssemblerOutput[] = expired ? [{ error: expired }] : [];
    this.append(chunk);
    const b = this.store;
    for (;;) {
      const at = findPreamble(b, this.start, this.end);
      if (at < 0) {
        this.start = this.end - preambleSuffix(b, this.start, this.end);
        break;
      }
      this.start = at;
      if (this.end - at < HEADER_LEN) break;
      const len = (b[at + 5]! << 8) | b[at + 6]!;
      if (len < this.minLen || len > this.maxLen) {
        out.push({ error: new IdCardError('bad_length', `length field ${len} is outside ${this.minLen}..${this.maxLen}`, { bytes: b.slice(at, at + HEADER_LEN) }) });
        this.start = at + 1;
        continue;
      }
      const total = HEADER_LEN + len;
      if (this.end - at < total) break;
      const bytes = b.slice(at, at + total);
      const expected = xorChecksum(bytes, 5, total - 1);
      if (expected !== bytes[total - 1]) {
        out.push({ error: badChecksum(bytes, expected, bytes[total - 1]!) });
        // The frame's boundaries may be wrong too (a corrupted length): resume at a preamble inside it, if any.
        const inner = findPreamble(b, at + 1, at + total);
        this.start = inner > 0 ? inner : at + total;
        continue;
      }
      out.push({ frame: { bytes, body: bytes.subarray(HEADER_LEN, total - 1) } });
      this.start = at + total;
    }
    if (this.start === this.end) this.reset();
    else if (this.startedAt === null || out.length > 0) this.startedAt = now;
    return out;
  }

  /** A timeout error (holding the partial bytes) when an incomplete frame has waited too long; clears it. */
  expire(now: number): IdCardError | null {
    if (this.startedAt === null || this.end === this.start) return null;
    if (now - this.startedAt < this.timeoutMs) return null;
    const held = this.end - this.start;
    const err = new IdCardError('timeout', `frame incomplete after ${Math.round(now - this.startedAt)} ms (${held} bytes held)`, { bytes: this.partial() });
    this.reset();
    return err;
  }
}

function findPreamble(b: Uint8Array, from: number, to: number): number {
  const last = to - PREAMBLE.length;
  for (let i = b.indexOf(0xaa, from); i >= 0 && i <= last; i = b.indexOf(0xaa, i + 1)) {
    if (b[i + 1] === 0xaa && b[i + 2] === 0xaa && b[i + 3] === 0x96 && b[i + 4] === 0x69) return i;
  }
  return -1;
}

/** How many trailing bytes of b[from, to) could be the start of a preamble split across chunks. */
function preambleSuffix(b: Uint8Array, from: number, to: number): number {
  for (let k = Math.min(PREAMBLE.length - 1, to - from); k > 0; k--) {
    let ok = true;
    for (let j = 0; j < k; j++) {
      if (b[to - k + j] !== PREAMBLE[j]) {
        ok = false;
        break;
      }
    }
    if (ok) return k;
  }
  return 0;
}
