/**
 * The keyboard-wedge scan detector, for the renderer: scanners in keyboard mode type into the window, and only
 * keystroke timing tells a scan from a clerk typing. The detector itself lives with the other scanner decoders
 * in `hardware/scanner/wedge.ts` (dependency-free on purpose); the renderer may import only `core/`.
 */
export { WedgeDetector, type WedgeOptions, type WedgeScan } from '../../hardware/scanner/wedge';
