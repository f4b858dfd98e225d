/** The tracking QR code, drawn as vector rectangles at a fixed place on page 1. */
import QRCode from 'qrcode';
import { M, TOP, W, type Doc } from './draw';

export const QR_SIZE = 86;
const QR_QUIET = 2;
/** Where the QR code sits on page 1 (points from the top-left; `quiet` modules of margin inside), for tests. */
export const QR_BOX = { x: M + W - QR_SIZE, y: TOP - 4, size: QR_SIZE, quiet: QR_QUIET } as const;

/** Draws the QR code as vector rectangles (one run per row segment): crisp at any printer resolution and tiny. */
export function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = QR_QUIET;
  const cell = size / (n + 2 * quiet);
  doc.save();
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      // A hair of overlap so adjacent rows leave no hairline gaps when rasterised.
      doc.rect(x + (quiet + start) * cell, y + (quiet + r) * cell, (c - start) * cell, cell + 0.05);
    }
  }
  doc.fill('#000000');
  doc.restore();
}
