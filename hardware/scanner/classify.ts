/** The scanner driver's classifier: domain's `barcodeClassifier`, its pattern errors as ScannerErrors. */
import { BarcodePatternError, barcodeClassifier } from '../../domain/barcodes';
import type { BarcodeKind, BarcodePattern } from '../../domain/devices';
import { ScannerError } from './errors';

export interface BarcodeClassifier {
  classify(value: string): BarcodeKind;
}

export function createClassifier(patterns?: BarcodePattern[]): BarcodeClassifier {
  try {
    return { classify: barcodeClassifier(patterns) };
  } catch (e) {
    if (e instanceof BarcodePatternError) throw new ScannerError('bad_pattern', e.message);
    throw e;
  }
}
