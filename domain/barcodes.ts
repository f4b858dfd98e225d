/**
 * What was scanned, by the configured `devices.barcodePatterns` (first match wins; `DEFAULT_BARCODE_PATTERNS`
 * by default). Pure: the device manager's scanner driver (serial, HID POS, keyboard reports) and the page's
 * keyboard-wedge path call the same function, so every scanner kind classifies alike.
 */
import { DEFAULT_BARCODE_PATTERNS, type BarcodeKind, type BarcodePattern } from './devices';

export type BarcodeClassify = (value: string) => BarcodeKind;

/** A pattern that is not a valid regular expression (which one, and why). */
export class BarcodePatternError extends Error {
  override readonly name = 'BarcodePatternError';
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

/** Compile the patterns once; throws BarcodePatternError for one that is not a valid regular expression. */
export function barcodeClassifier(patterns: readonly BarcodePattern[] = DEFAULT_BARCODE_PATTERNS): BarcodeClassify {
  const compiled = patterns.map((p, i) => {
    try {
      return { kind: p.kind, re: new RegExp(p.pattern) };
    } catch (e) {
      throw new BarcodePatternError(i, `barcode pattern #${i + 1} (${p.kind}) is not a valid regular expression: ${(e as Error).message}`);
    }
  });
  return (value) => compiled.find(({ re }) => re.test(value))?.kind ?? 'unknown';
}

/** One value, classified (compiles the patterns each call: use `barcodeClassifier` in a loop). */
export function classifyBarcode(value: string, patterns: readonly BarcodePattern[] = DEFAULT_BARCODE_PATTERNS): BarcodeKind {
  return barcodeClassifier(patterns)(value);
}
