/** What was scanned, by configurable patterns (first match wins; `DEFAULT_BARCODE_PATTERNS` by default). */
import { DEFAULT_BARCODE_PATTERNS, type BarcodeKind, type BarcodePattern } from '../../domain/devices';
import { ScannerError } from './errors';

export interface BarcodeClassifier {
  classify(value: string): BarcodeKind;
}

export function createClassifier(patterns: BarcodePattern[] = DEFAULT_BARCODE_PATTERNS): BarcodeClassifier {
  const compiled = patterns.map((p, i) => {
    try {
      return { kind: p.kind, re: new RegExp(p.pattern) };
    } catch (e) {
      throw new ScannerError('bad_pattern', `barcode pattern #${i + 1} (${p.kind}) is not a valid regular expression: ${(e as Error).message}`);
    }
  });
  return {
    classify(value) {
      for (const { kind, re } of compiled) if (re.test(value)) return kind;
      return 'unknown';
    },
  };
}
