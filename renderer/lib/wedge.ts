/**
 * Scanners in keyboard-wedge mode type into the window. `WedgeDetector` (domain/wedge) tells a scan from typing by
 * keystroke timing; here, when a burst turns out to be a scan, the characters it typed into the focused input are
 * taken back out, the terminating Enter/Tab does nothing else, and the value is routed like a `barcodeScanned`
 * event from a USB/HID scanner.
 */
import { WedgeDetector } from '../../domain/wedge';
import { barcodeClassifier } from '../../domain/barcodes';
import { DEFAULT_BARCODE_PATTERNS, type BarcodePattern, type BarcodeScanned } from '../../domain/devices';

type TextEl = HTMLInputElement | HTMLTextAreaElement;
const isText = (el: Element | null): el is TextEl => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

function setNativeValue(el: TextEl, value: string) {
  const proto = el instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * `patterns`: the config's `devices.barcodePatterns` (the session carries them), classified by domain's one
 * classifier, as the device manager's serial, HID POS and keyboard-report scanners are.
 */
export function installWedge(onScan: (e: BarcodeScanned) => void, patterns: readonly BarcodePattern[] = DEFAULT_BARCODE_PATTERNS): () => void {
  let classify = barcodeClassifier(DEFAULT_BARCODE_PATTERNS);
  try {
    classify = barcodeClassifier(patterns);
  } catch {
    // The desk's config loader already refused invalid patterns; the defaults stand in.
  }
  const detector = new WedgeDetector();
  let snapshot: { el: TextEl | null; value: string } | null = null;
  let lastAt = -Infinity;
  const onKey = (e: KeyboardEvent) => {
    if (e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return;
    const printable = [...e.key].length === 1;
    // The value before the first key of a possible burst, to restore if the burst is a scan.
    if (printable && (detector.pending === '' || e.timeStamp - lastAt > 40)) {
      const el = document.activeElement;
      snapshot = isText(el) ? { el, value: el.value } : { el: null, value: '' };
    }
    if (printable) lastAt = e.timeStamp;
    const scan = detector.key(e.key, e.timeStamp);
    if (!scan) return;
    e.preventDefault();
    e.stopPropagation();
    if (snapshot?.el) {
      const { el, value } = snapshot;
      // The characters land after this handler for the last key: restore on the next task.
      setTimeout(() => setNativeValue(el, value), 0);
    }
    snapshot = null;
    onScan({ scannerId: 'keyboard-wedge', kind: classify(scan.value), value: scan.value, at: new Date().toISOString() });
  };
  window.addEventListener('keydown', onKey, { capture: true });
  return () => window.removeEventListener('keydown', onKey, { capture: true });
}
