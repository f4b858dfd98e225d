/**
 * The receipt a family takes home from the desk: one A4 page (pdfkit), in Chinese with English, with the
 * Noto Sans SC font embedded as a subset (only the glyphs used), a QR code for tracking, every request's
 * route, state and what it waits for. ID numbers are always masked; numbers only the city issues show as
 * 待签发 (pending) until they arrive. In training mode every page carries a TRAINING watermark.
 *
 * The parts: `input.ts` (the checked input), `text.ts` (the words), `draw.ts` (geometry and primitives),
 * `qr.ts` (the QR code), `sections.ts` (each section drawn on a cursor); this file lays out the pages.
 */
import PDFDocument from 'pdfkit';
import { SERVICES } from '../../domain/codes';
import { B, BOTTOM, INK, M, MUTED, R, TOP, TRAINING_RED, W, drawWatermark, line } from './draw';
import { loadFonts } from './fonts';
import { checkInput, type ReceiptInput } from './input';
import { drawDeclined } from './declined';
import { drawEvidences, drawFamily, drawFooter, drawHeader, drawRequests, type Cursor } from './sections';
import { formatNow } from './text';

export { ReceiptInputError, type ReceiptInput } from './input';
export { QR_BOX } from './qr';

/** Renders the receipt (A4 PDF). Throws `ReceiptInputError` on bad input, `ReceiptFontError` if the font is missing. */
export async function renderReceipt(input: ReceiptInput): Promise<Buffer> {
  const { registration: reg, hospitalName, clerkName, training, trackingUrl, now } = checkInput(input);
  const requests = [...input.requests].sort((a, b) => SERVICES.indexOf(a.service) - SERVICES.indexOf(b.service));
  const fonts = loadFonts();

  const doc = new PDFDocument({
    size: 'A4',
    // pdfkit only paginates by itself past these margins; the layout below keeps to its own (M, BOTTOM).
    margins: { top: 20, bottom: 8, left: 20, right: 20 },
    bufferPages: true,
    font: null as unknown as string, // no Helvetica: the only fonts in the file are the Noto Sans SC subsets
    info: {
      Title: '新生儿“出生一件事”联办回执 Newborn joint application receipt',
      Creator: 'Newborn Desk',
      Producer: 'Newborn Desk',
      CreationDate: now,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes a parsed fontkit font as well as bytes (its types only list bytes and paths).
  doc.registerFont(R, fonts.regular as unknown as Buffer);
  doc.registerFont(B, fonts.bold as unknown as Buffer);
  doc.font(R);

  const cursor: Cursor = {
    doc,
    y: TOP,
    newPage() {
      doc.addPage();
      cursor.y = TOP;
      line(doc, B, 11, INK, '新生儿“出生一件事”联办回执（续）', M, cursor.y);
      line(doc, R, 8, MUTED, 'Receipt (continued)', M, cursor.y + 16);
      cursor.y += 36;
    },
    ensure(h) {
      if (cursor.y + h > BOTTOM - 14) cursor.newPage();
    },
  };

  if (training) {
    // In the top margin, so that a training receipt lays out exactly like a real one.
    doc.rect(M, 10, W, 16).fill('#fdecee');
    line(doc, B, 8.5, TRAINING_RED, '培训模式 · 非正式回执　TRAINING MODE · NOT A VALID RECEIPT', M, 13, { width: W, align: 'center' });
  }
  const time = formatNow(now);
  drawHeader(cursor, reg, { hospitalName, clerkName, time, qrText: trackingUrl ?? reg.id });
  drawFamily(cursor, reg);
  drawRequests(cursor, requests);
  drawDeclined(cursor, reg); // bundle area (issue 12)
  drawEvidences(cursor, reg);
  drawFooter(cursor, reg, requests);

  // ---- on every page: the page line, and the watermark in training mode ----
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    line(doc, R, 7, MUTED, `Newborn Desk · 联办编号 ${reg.id} · 打印于 ${time}`, M, BOTTOM - 6, { width: W * 0.8 });
    line(doc, R, 7, MUTED, `第 ${i - range.start + 1} / ${range.count} 页`, M + W * 0.8, BOTTOM - 6, { width: W * 0.2, align: 'right' });
    if (training) drawWatermark(doc);
  }
  doc.end();
  return done;
}
