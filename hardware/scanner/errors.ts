/** Typed scanner failures; like the reader's, they never carry the scanned value in their message. */
export const SCANNER_ERROR_CODES = ['bad_report', 'too_long', 'timeout', 'bad_pattern', 'unplugged'] as const;
export type ScannerErrorCode = (typeof SCANNER_ERROR_CODES)[number];

export class ScannerError extends Error {
  override readonly name = 'ScannerError';
  declare readonly bytes: Uint8Array | undefined;
  constructor(
    readonly code: ScannerErrorCode,
    message: string,
    bytes?: Uint8Array,
  ) {
    super(message);
    Object.defineProperty(this, 'bytes', { value: bytes, enumerable: false });
  }
}
