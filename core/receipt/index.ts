/**
 * The family's receipt (public API). `renderReceipt` fits `ReceiptPort` (core/api/ports): plug it in as
 * `{ receipts: { render: renderReceipt } }`. Call `warmUpReceipts()` once at start-up when the desk is idle
 * (or at least `preloadReceiptFonts()`) so the first family does not wait for the 2 × 10 MB fonts to load.
 */
export { warmUpReceipts } from './warmup';
export { renderReceipt, ReceiptInputError, QR_BOX, type ReceiptInput } from './receipt';
export {
  fontPaths,
  useFontDir,
  preloadReceiptFonts,
  ReceiptFontError,
  FONT_DIR_ENV,
  FONT_FILES,
  FONT_PACKAGE,
  type FontPaths,
} from './fonts';
