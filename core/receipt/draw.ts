/** The receipt's page geometry, colours and pdfkit drawing primitives (text lines, wrapped text, cells). */
import type { Bi } from './labels';

// ---- layout constants (points; A4 = 595.28 × 841.89) ----
export const PAGE_W = 595.28;
export const PAGE_H = 841.89;
export const M = 40;
export const W = PAGE_W - 2 * M;
export const BOTTOM = PAGE_H - 30;
export const TOP = M - 8;
export const INK = '#1b1b1b';
export const MUTED = '#6b6b6b';
export const RULE = '#c9ced6';
export const ACCENT = '#0b4f8a';
export const SHADE = '#eef3f8';
export const WARN = '#a4361c';
export const TRAINING_RED = '#b00020';
/** Font names as registered: the regular and bold Noto Sans SC subsets. */
export const R = 'R';
export const B = 'B';

export type Doc = PDFKit.PDFDocument;

/** A run of text of one font, size and colour (the text model the sections draw). */
export interface Piece {
  font: string;
  size: number;
  color: string;
  text: string;
}

/** One line of text that must not wrap or paginate. */
export function line(doc: Doc, font: string, size: number, color: string, s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions = {}): void {
  doc.font(font).fontSize(size).fillColor(color).text(s, x, y, { lineBreak: false, ...opts });
}

/** Wrapped text in a box of width `w`; returns its height. */
export function para(doc: Doc, font: string, size: number, color: string, s: string, x: number, y: number, w: number, gap = 1.5): number {
  doc.font(font).fontSize(size).fillColor(color);
  const h = doc.heightOfString(s, { width: w, lineGap: gap });
  doc.text(s, x, y, { width: w, lineGap: gap });
  return h;
}

export function measure(doc: Doc, font: string, size: number, s: string, w: number, gap = 1.5): number {
  return doc.font(font).fontSize(size).heightOfString(s, { width: w, lineGap: gap });
}

/** The height of pieces stacked in a column of width `w`. */
export const piecesHeight = (doc: Doc, pieces: Piece[], w: number): number => pieces.reduce((h, p) => h + measure(doc, p.font, p.size, p.text, w, 0.5), 0);

/** Draws pieces stacked from `y` in a column of width `w`. */
export function drawPieces(doc: Doc, pieces: Piece[], x: number, y: number, w: number): void {
  let cy = y;
  for (const p of pieces) cy += para(doc, p.font, p.size, p.color, p.text, x, cy, w, 0.5);
}

/** A labelled value: small bilingual label over the value; returns the height used. */
export function cell(doc: Doc, label: Bi, value: string, x: number, y: number, w: number, opts: { size?: number; sub?: string; color?: string } = {}): number {
  line(doc, R, 7.5, MUTED, `${label.zh}  ${label.en}`, x, y, { width: w, ellipsis: true, height: 10 });
  const size = opts.size ?? 10.5;
  let h = 11 + para(doc, R, size, opts.color ?? INK, value, x, y + 11, w, 1);
  if (opts.sub) h += para(doc, R, 7.5, MUTED, opts.sub, x, y + h, w, 1);
  return h;
}

/** The largest size (down to `min`) at which `s` fits on one line of width `w`. */
export function fitSize(doc: Doc, font: string, s: string, w: number, max: number, min: number): number {
  doc.font(font);
  let size = max;
  while (size > min && doc.fontSize(size).widthOfString(s) > w) size -= 0.5;
  doc.fontSize(max);
  return size;
}

/** A horizontal rule across the page at `y`. */
export function rule(doc: Doc, y: number, width: number, color = RULE): void {
  doc.moveTo(M, y).lineTo(M + W, y).lineWidth(width).strokeColor(color).stroke();
}

export function sectionHeading(doc: Doc, t: Bi, y: number): number {
  line(doc, B, 11.5, ACCENT, t.zh, M, y);
  const zhW = doc.widthOfString(t.zh);
  line(doc, R, 8.5, MUTED, t.en, M + zhW + 8, y + 3.5);
  rule(doc, y + 19, 0.6);
  return y + 25;
}

export function drawCheck(doc: Doc, x: number, y: number): void {
  doc.save();
  doc.moveTo(x, y + 4).lineTo(x + 3, y + 7).lineTo(x + 8, y).lineWidth(1.4).strokeColor(ACCENT).stroke();
  doc.restore();
}

export function drawWatermark(doc: Doc): void {
  doc.save();
  doc.rotate(-35, { origin: [PAGE_W / 2, PAGE_H / 2] });
  doc.fillOpacity(0.09).fillColor(TRAINING_RED);
  doc.font(B).fontSize(96);
  const t = 'TRAINING';
  doc.text(t, PAGE_W / 2 - doc.widthOfString(t) / 2, PAGE_H / 2 - 80, { lineBreak: false });
  doc.fontSize(48);
  const z = '培训 · 非正式回执';
  doc.text(z, PAGE_W / 2 - doc.widthOfString(z) / 2, PAGE_H / 2 + 40, { lineBreak: false });
  doc.restore();
  doc.fillOpacity(1);
}
