/**
 * Every way a card read can fail, as one typed error. The offending bytes are kept for diagnostics but are not
 * enumerable, never part of `message`, and `diagnosticHex()` shows only the frame header and the status bytes:
 * a read response carries a person's name, ID number and photo, and must never reach a log in clear.
 */

export const ID_CARD_ERROR_CODES = [
  'no_card', // find/select answered "no card" (SW3 0x80 / 0x81)
  'bad_checksum', // XOR checksum does not match
  'bad_length', // length field out of range, or a body too short for what it claims to hold
  'bad_status', // the reader answered with an error status (SW3 other than success)
  'bad_text', // the text block does not hold what the card type promises (field says which)
  'timeout', // no answer, or a frame that never completed
  'unplugged', // the device went away (or is not there)
] as const;
export type IdCardErrorCode = (typeof ID_CARD_ERROR_CODES)[number];

export interface IdCardErrorDetails {
  /** The bytes that caused the error (frame or partial frame). Kept out of logs; see `diagnosticHex()`. */
  bytes?: Uint8Array;
  /** SW3 for bad_status / no_card. */
  status?: number;
  /** Text field for bad_text, e.g. `birthDate`. */
  field?: string;
  cause?: unknown;
}

export class IdCardError extends Error {
  override readonly name = 'IdCardError';
  readonly code: IdCardErrorCode;
  readonly status: number | undefined;
  readonly field: string | undefined;
  declare readonly bytes: Uint8Array | undefined;

  constructor(code: IdCardErrorCode, message: string, details: IdCardErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.field = details.field;
    // Not enumerable: `console.log(err)` / JSON / structured loggers do not walk into personal data.
    Object.defineProperty(this, 'bytes', { value: details.bytes, enumerable: false, writable: false });
  }

  /**
   * Hex of the frame header (preamble, length, three status bytes) and the size of the rest, never the rest:
   * safe to log. Short frames with no data beyond the status are shown whole.
   */
  diagnosticHex(): string {
    return redactedHex(this.bytes);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, status: this.status, field: this.field, bytes: this.diagnosticHex() };
  }
}

const HEADER_BYTES = 10; // preamble 5 + length 2 + SW1 SW2 SW3

export function redactedHex(bytes: Uint8Array | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  const head = Array.from(bytes.subarray(0, HEADER_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > HEADER_BYTES ? `${head} …(+${bytes.length - HEADER_BYTES} bytes withheld)` : head;
}

export function isIdCardError(e: unknown): e is IdCardError {
  return e instanceof IdCardError;
}

/** SW3 status codes of GA/T 467 with a plain-words meaning (for diagnostics and bad_status messages). */
export const SW3_MEANINGS: Readonly<Record<number, string>> = {
  0x90: 'success',
  0x91: 'item has no content',
  0x9f: 'card found',
  0x10: 'checksum error (reader side)',
  0x11: 'length error (reader side)',
  0x21: 'bad command',
  0x23: 'unauthorised',
  0x24: 'unknown error',
  0x31: 'card failed to authenticate SAM',
  0x32: 'SAM failed to authenticate card',
  0x33: 'verification failed',
  0x37: 'fingerprint error',
  0x3f: 'length error',
  0x40: 'unknown card type',
  0x41: 'read failed',
  0x47: 'random number failed',
  0x60: 'SAM self-test failed',
  0x66: 'SAM not authorised',
  0x80: 'find card failed (no card)',
  0x81: 'select failed',
};

export function describeSw3(sw3: number): string {
  return `0x${sw3.toString(16).padStart(2, '0').toUpperCase()} ${SW3_MEANINGS[sw3] ?? 'undocumented status'}`;
}
