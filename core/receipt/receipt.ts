/**
 * The receipt a family takes home from the desk: one A4 page (pdfkit), in Chinese with English, with the
 * Noto Sans SC font embedded as a subset (only the glyphs used), a QR code for tracking, every request's
 * route, state and what it waits for. ID numbers are always masked; numbers only the city issues show as
 * 待签发 (pending) until they arrive. In training mode every page carries a TRAINING watermark.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { z } from 'zod';
import { DISTRICTS, EVIDENCE_LABELS, SERVICES, SERVICE_LABELS, SEX_LABELS, type Service } from '../../domain/codes';
import { deskLocal, parseIsoMinute } from '../../domain/dates';
import { maskIdNumber } from '../../domain/idnumber';
import { RegistrationSchema, ServiceRequestSchema, type Registration, type ServiceRequest } from '../../domain/types';
import { loadFonts } from './fonts';
import {
  CAPTURE_LABELS,
  DOC_TYPE_LABELS,
  ISSUED_LABELS,
  PENDING,
  STATE_LABELS,
  UNNAMED,
  type Bi,
} from './labels';

export interface ReceiptInput {
  registration: Registration;
  requests: ServiceRequest[];
  hospitalName: string;
  clerkName: string;
  training: boolean;
  /** Encoded in the QR code when given; otherwise the QR code carries the bundle id. */
  trackingUrl?: string;
  now: Date;
}

/** Bad input: `field` says where (e.g. `requests[2].registrationId`), the message says what was expected. */
export class ReceiptInputError extends Error {
  constructor(
    public readonly field: string,
    detail: string,
  ) {
    super(`receipt input ${field}: ${detail}`);
    this.name = 'ReceiptInputError';
  }
}

const InputSchema = z.object({
  registration: RegistrationSchema,
  requests: z.array(ServiceRequestSchema).min(1, 'expected at least one service request').max(SERVICES.length),
  hospitalName: z.string().trim().min(1, 'expected the hospital name').max(60),
  clerkName: z.string().trim().min(1, "expected the clerk's name").max(60),
  training: z.boolean(),
  trackingUrl: z.string().url('expected an absolute URL').max(500).optional(),
  now: z.date(),
});

function checkInput(input: ReceiptInput): ReceiptInput {
  const r = InputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ReceiptInputError(field || '(root)', issue.message);
  }
  if (Number.isNaN(input.now.getTime())) throw new ReceiptInputError('now', 'expected a valid date');
  const seen = new Set<Service>();
  input.requests.forEach((q, i) => {
    if (q.registrationId !== input.registration.id) {
      throw new ReceiptInputError(`requests[${i}].registrationId`, 'expected the id of the registration being printed');
    }
    if (seen.has(q.service)) throw new ReceiptInputError(`requests[${i}].service`, `"${q.service}" appears twice`);
    seen.add(q.service);
  });
  return input;
}

// ---- layout constants (points; A4 = 595.28 × 841.89) ----
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const M = 40;
const W = PAGE_W - 2 * M;
const BOTTOM = PAGE_H - 30;
const INK = '#1b1b1b';
const MUTED = '#6b6b6b';
const RULE = '#c9ced6';
const ACCENT = '#0b4f8a';
const SHADE = '#eef3f8';
const WARN = '#a4361c';
const TRAINING_RED = '#b00020';
const TOP = M - 8;
const QR_SIZE = 86;
const QR_QUIET = 2;
/** Where the QR code sits on page 1 (points from the top-left; `quiet` modules of margin inside), for tests. */
export const QR_BOX = { x: M + W - QR_SIZE, y: TOP - 4, size: QR_SIZE, quiet: QR_QUIET } as const;
const R = 'R';
const B = 'B';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatBirth(s: string): string {
  const v = parseIsoMinute(s);
  return v ? `${v.y}年${v.m}月${v.d}日 ${pad2(v.hh)}:${pad2(v.mm)}` : s;
}

function formatNow(now: Date): string {
  const v = deskLocal(now);
  return `${v.y}-${pad2(v.m)}-${pad2(v.d)} ${pad2(v.hh)}:${pad2(v.mm)}`;
}

/** 138****5678: phones are personal data too; the family knows their own number. */
export function maskPhone(raw: string): string {
  const s = raw.replace(/\s+/g, '');
  if (s.length <= 4) return '*'.repeat(s.length);
  const head = s.length >= 11 ? 3 : Math.min(2, s.length - 4);
  return s.slice(0, head) + '*'.repeat(s.length - head - 4) + s.slice(-4);
}

const district = (code: string): Bi => DISTRICTS[code as keyof typeof DISTRICTS] ?? { zh: code, en: code };

/** A number the city issued, as the receipt may print it: the child's citizen ID number is masked like any ID. */
function issuedNumber(q: ServiceRequest): string | null {
  if (q.documentNumber == null || q.documentNumber === '') return null;
  return q.service === 'household_registration' ? maskIdNumber(q.documentNumber) : q.documentNumber;
}

const FINAL = new Set(['approved', 'issued', 'rejected']);

/** What a request still waits for: the documents of the requests it depends on that have not been issued. */
function waitingFor(q: ServiceRequest, all: ServiceRequest[]): Bi[] {
  if (FINAL.has(q.state)) return [];
  return q.dependsOn
    .filter((dep) => {
      const d = all.find((x) => x.service === dep);
      return !d || d.documentNumber == null;
    })
    .map((dep) => ({ zh: `待${ISSUED_LABELS[dep].zh}`, en: `awaiting ${ISSUED_LABELS[dep].en}` }));
}

/** Draws the QR code as vector rectangles (one run per row segment): crisp at any printer resolution and tiny. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
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

type Doc = PDFKit.PDFDocument;

/** One line of text that must not wrap or paginate. */
function line(doc: Doc, font: string, size: number, color: string, s: string, x: number, y: number, opts: PDFKit.Mixins.TextOptions = {}): void {
  doc.font(font).fontSize(size).fillColor(color).text(s, x, y, { lineBreak: false, ...opts });
}

/** Wrapped text in a box of width `w`; returns its height. */
function para(doc: Doc, font: string, size: number, color: string, s: string, x: number, y: number, w: number, gap = 1.5): number {
  doc.font(font).fontSize(size).fillColor(color);
  const h = doc.heightOfString(s, { width: w, lineGap: gap });
  doc.text(s, x, y, { width: w, lineGap: gap });
  return h;
}

function measure(doc: Doc, font: string, size: number, s: string, w: number, gap = 1.5): number {
  return doc.font(font).fontSize(size).heightOfString(s, { width: w, lineGap: gap });
}

/** A labelled value: small bilingual label over the value; returns the height used. */
function cell(doc: Doc, label: Bi, value: string, x: number, y: number, w: number, opts: { size?: number; sub?: string; color?: string } = {}): number {
  line(doc, R, 7.5, MUTED, `${label.zh}  ${label.en}`, x, y, { width: w, ellipsis: true, height: 10 });
  const size = opts.size ?? 10.5;
  let h = 11 + para(doc, R, size, opts.color ?? INK, value, x, y + 11, w, 1);
  if (opts.sub) h += para(doc, R, 7.5, MUTED, opts.sub, x, y + h, w, 1);
  return h;
}

/** The largest size (down to `min`) at which `s` fits on one line of width `w`. */
function fitSize(doc: Doc, font: string, s: string, w: number, max: number, min: number): number {
  doc.font(font);
  let size = max;
  while (size > min && doc.fontSize(size).widthOfString(s) > w) size -= 0.5;
  doc.fontSize(max);
  return size;
}

function sectionHeading(doc: Doc, t: Bi, y: number): number {
  line(doc, B, 11.5, ACCENT, t.zh, M, y);
  const zhW = doc.widthOfString(t.zh);
  line(doc, R, 8.5, MUTED, t.en, M + zhW + 8, y + 3.5);
  doc.moveTo(M, y + 19).lineTo(M + W, y + 19).lineWidth(0.6).strokeColor(RULE).stroke();
  return y + 25;
}

function drawCheck(doc: Doc, x: number, y: number): void {
  doc.save();
  doc.moveTo(x, y + 4).lineTo(x + 3, y + 7).lineTo(x + 8, y).lineWidth(1.4).strokeColor(ACCENT).stroke();
  doc.restore();
}

function drawWatermark(doc: Doc): void {
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

  let y = TOP;
  const newPage = (): void => {
    doc.addPage();
    y = TOP;
    line(doc, B, 11, INK, '新生儿“出生一件事”联办回执（续）', M, y);
    line(doc, R, 8, MUTED, 'Receipt (continued)', M, y + 16);
    y += 36;
  };
  const ensure = (h: number, limit = BOTTOM - 14): void => {
    if (y + h > limit) newPage();
  };

  // ---- training banner ----
  if (training) {
    // In the top margin, so that a training receipt lays out exactly like a real one.
    doc.rect(M, 10, W, 16).fill('#fdecee');
    line(doc, B, 8.5, TRAINING_RED, '培训模式 · 非正式回执　TRAINING MODE · NOT A VALID RECEIPT', M, 13, { width: W, align: 'center' });
  }

  // ---- header: title, QR, who/where/when ----
  const qrSize = QR_SIZE;
  const top = y;
  const leftW = W - qrSize - 16;
  line(doc, B, 18, INK, '新生儿“出生一件事”联办回执', M, y);
  y += 25;
  line(doc, R, 9.5, MUTED, 'Newborn "One Thing at Birth" joint application — receipt', M, y);
  y += 17;
  drawQr(doc, trackingUrl ?? reg.id, QR_BOX.x, QR_BOX.y, QR_BOX.size);
  line(doc, R, 7.5, MUTED, '扫码查询进度  Scan to track', M + W - qrSize - 10, top + qrSize - 2, { width: qrSize + 10, align: 'center' });

  const time = formatNow(now);
  const hHosp = cell(doc, { zh: '医院', en: 'Hospital' }, hospitalName, M, y, leftW * 0.62);
  const hTime = cell(doc, { zh: '办理时间', en: 'Filed at (UTC+8)' }, time, M + leftW * 0.66, y, leftW * 0.34);
  y += Math.max(hHosp, hTime) + 6;
  const c1 = leftW * 0.22;
  const c2 = leftW * 0.3;
  const hDesk = cell(doc, { zh: '窗口', en: 'Desk' }, reg.deskId, M, y, c1 - 6);
  const hClerk = cell(doc, { zh: '经办人', en: 'Clerk' }, clerkName, M + c1, y, c2 - 6);
  const hId = cell(doc, { zh: '联办编号', en: 'Bundle ID' }, reg.id, M + c1 + c2, y, leftW - c1 - c2, { size: 8.5 });
  y += Math.max(hDesk, hClerk, hId) + 8;
  y = Math.max(y, top + qrSize + 12);
  doc.moveTo(M, y).lineTo(M + W, y).lineWidth(1.4).strokeColor(ACCENT).stroke();
  y += 12;

  // ---- family and newborn: one row per person, a fourth for the declaration ----
  y = sectionHeading(doc, { zh: '家庭与新生儿', en: 'Family and newborn' }, y);
  const child = reg.child;
  const mother = reg.mother;
  const father = reg.father;
  const decl = reg.declaration;
  const childName = child.name?.trim() ? child.name.trim() : null;
  const sex = SEX_LABELS[child.sex];
  const hh = decl.householdDistrict ? district(decl.householdDistrict) : null;
  const delivery =
    decl.cardDelivery.method === 'post'
      ? { zh: '邮寄到家', en: 'by post' }
      : { zh: `自取${decl.cardDelivery.pickupPoint ? `：${decl.cardDelivery.pickupPoint}` : ''}`, en: 'pick-up' };
  const insured =
    mother.insurance.insured && mother.insurance.insuredDistrict
      ? `${district(mother.insurance.insuredDistrict).zh}  ${district(mother.insurance.insuredDistrict).en}`
      : mother.insurance.insured
        ? '已参保  insured'
        : '未参保  not insured';
  type Cell = { label: Bi; value: string; sub?: string; color?: string; span?: number };
  const name = (v: string): Cell => ({ label: { zh: '姓名', en: 'Name' }, value: v });
  const doc_ = (p: { docType: keyof typeof DOC_TYPE_LABELS; docNumber: string }): Cell => ({
    label: DOC_TYPE_LABELS[p.docType],
    value: maskIdNumber(p.docNumber),
  });
  const rows: Array<{ title: Bi; cells: Cell[] }> = [
    {
      title: { zh: '新生儿', en: 'Newborn' },
      cells: [
        childName ? name(childName) : { ...name(UNNAMED.zh), sub: UNNAMED.en, color: MUTED },
        { label: { zh: '性别', en: 'Sex' }, value: `${sex.zh}  ${sex.en}` },
        { label: { zh: '出生时间', en: 'Born' }, value: formatBirth(child.birthDateTime) },
        { label: { zh: '体重 / 身长', en: 'Weight / length' }, value: `${child.weightG} g / ${child.lengthCm} cm` },
      ],
    },
    {
      title: { zh: '母亲', en: 'Mother' },
      cells: [name(mother.name), doc_(mother), { label: { zh: '生育保险参保地', en: 'Insured in' }, value: insured }],
    },
    {
      title: { zh: '父亲', en: 'Father' },
      cells: father ? [name(father.name), doc_(father)] : [{ ...name('未登记'), sub: 'not recorded', color: MUTED }],
    },
    {
      title: { zh: '申报', en: 'Declared' },
      cells: [
        { label: { zh: '落户地区', en: 'Hukou district' }, value: hh ? `${hh.zh}  ${hh.en}` : '本次未申报', ...(hh ? {} : { sub: 'not filed' }) },
        { label: { zh: '监护人 / 电话', en: 'Guardian / phone' }, value: `${decl.guardianName}  ${maskPhone(decl.guardianPhone)}` },
        { label: { zh: '市民卡领取方式', en: 'Citizen card delivery' }, value: `${delivery.zh}  ${delivery.en}`, span: 2 },
      ],
    },
  ];
  const titleW = 64;
  const gridW = [100, 128, 118, W - titleW - 346];
  rows.forEach((row, ri) => {
    let x = M + titleW;
    let rh = 0;
    line(doc, B, 10, INK, row.title.zh, M, y + 1);
    line(doc, R, 7.5, MUTED, row.title.en, M, y + 15);
    let gi = 0;
    for (const c of row.cells) {
      const span = c.span ?? 1;
      const w = gridW.slice(gi, gi + span).reduce((a, b) => a + b, 0);
      rh = Math.max(rh, cell(doc, c.label, c.value, x, y, w - 8, { ...(c.sub ? { sub: c.sub } : {}), ...(c.color ? { color: c.color } : {}) }));
      x += w;
      gi += span;
    }
    y += Math.max(rh, 26) + 4;
    if (ri < rows.length - 1) doc.moveTo(M, y).lineTo(M + W, y).lineWidth(0.3).strokeColor(RULE).stroke();
    y += 4;
  });
  y += 8;

  // ---- requests ----
  ensure(80);
  y = sectionHeading(doc, { zh: `联办事项（${requests.length} 项）`, en: `Requests filed (${requests.length})` }, y);
  const widths = [122, 62, 84, 132, W - 400];
  const xs = widths.map((_, i) => M + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const heads: Bi[] = [
    { zh: '事项', en: 'Service' },
    { zh: '受理地区', en: 'Routed to' },
    { zh: '办理状态', en: 'Status' },
    { zh: '等待', en: 'Waiting for' },
    { zh: '证件 / 编号', en: 'Number issued' },
  ];
  const padX = 6;
  const headRow = (): void => {
    doc.rect(M, y, W, 24).fill(SHADE);
    heads.forEach((h, i) => {
      line(doc, B, 8.5, INK, h.zh, xs[i]! + padX, y + 3);
      line(doc, R, 7, MUTED, h.en, xs[i]! + padX, y + 14);
    });
    y += 24;
  };
  headRow();
  requests.forEach((q, idx) => {
    const svc = SERVICE_LABELS[q.service];
    const dist = district(q.jurisdiction);
    const st = STATE_LABELS[q.state];
    const waits = waitingFor(q, requests);
    const number = issuedNumber(q);
    const reason = (q.state === 'rejected' || q.state === 'needs_info' || q.state === 'held') && q.reason ? q.reason.slice(0, 140) : null;
    type Piece = { font: string; size: number; color: string; text: string };
    const cellsOf: Piece[][] = [
      [
        { font: B, size: 9.5, color: INK, text: `${idx + 1}. ${svc.zh}` },
        { font: R, size: 7, color: MUTED, text: svc.en },
      ],
      [
        { font: R, size: 9.5, color: INK, text: dist.zh },
        { font: R, size: 7, color: MUTED, text: dist.en },
      ],
      [
        { font: R, size: 9.5, color: q.state === 'rejected' || q.state === 'needs_info' || q.state === 'held' ? WARN : INK, text: st.zh },
        { font: R, size: 7, color: MUTED, text: st.en },
      ],
      waits.length
        ? waits.flatMap((w) => [
            { font: R, size: 9, color: INK, text: w.zh },
            { font: R, size: 7, color: MUTED, text: w.en },
          ])
        : [{ font: R, size: 9.5, color: MUTED, text: '—' }],
      q.state === 'rejected' && !number
        ? [
            { font: R, size: 9.5, color: MUTED, text: '—' },
            { font: R, size: 7, color: MUTED, text: 'not issued' },
          ]
        : number
        ? [
            { font: B, size: fitSize(doc, B, number, widths[4]! - 2 * padX, 9.5, 7), color: INK, text: number },
            { font: R, size: 7, color: MUTED, text: ISSUED_LABELS[q.service].en },
          ]
        : [
            { font: R, size: 9.5, color: WARN, text: PENDING.zh },
            { font: R, size: 7, color: MUTED, text: `${ISSUED_LABELS[q.service].en}: ${PENDING.en}` },
          ],
    ];
    const heights = cellsOf.map((pieces, i) =>
      pieces.reduce((h, p) => h + measure(doc, p.font, p.size, p.text, widths[i]! - 2 * padX, 0.5), 0),
    );
    // The city's reason, under the row from the status column to the edge: it can be a sentence or two.
    const reasonX = xs[2]! + padX;
    const reasonW = M + W - padX - reasonX;
    const reasonText = reason ? `原因 Reason：${reason}` : null;
    const reasonH = reasonText ? measure(doc, R, 8, reasonText, reasonW, 0.5) + 2 : 0;
    const rowH = Math.max(...heights) + 8 + reasonH;
    if (y + rowH > BOTTOM - 14) {
      newPage();
      headRow();
    }
    cellsOf.forEach((pieces, i) => {
      let cy = y + 5;
      for (const p of pieces) cy += para(doc, p.font, p.size, p.color, p.text, xs[i]! + padX, cy, widths[i]! - 2 * padX, 0.5);
    });
    if (reasonText) para(doc, R, 8, WARN, reasonText, reasonX, y + rowH - reasonH - 4, reasonW, 0.5);
    y += rowH;
    doc.moveTo(M, y).lineTo(M + W, y).lineWidth(0.5).strokeColor(RULE).stroke();
  });
  y += 16;

  // ---- evidences: one column each, what it is and how it was captured ----
  const ev = reg.evidences;
  const evCols = 5;
  const evW = W / evCols;
  const evText = ev.map((e) => ({ kind: EVIDENCE_LABELS[e.kind], cap: CAPTURE_LABELS[e.capture] }));
  const evPieces = (t: (typeof evText)[number]) => [
    { font: R, size: 9, color: INK, text: t.kind.zh },
    { font: R, size: 6.5, color: MUTED, text: t.kind.en },
    { font: R, size: 7, color: ACCENT, text: `${t.cap.zh}  ${t.cap.en}` },
  ];
  const evRowH: number[] = [];
  for (let i = 0; i < evText.length; i += evCols) {
    evRowH.push(
      Math.max(...evText.slice(i, i + evCols).map((t) => evPieces(t).reduce((h, p) => h + measure(doc, p.font, p.size, p.text, evW - 18, 0.5), 0))) + 6,
    );
  }
  ensure(26 + (evRowH[0] ?? 18));
  y = sectionHeading(doc, { zh: `已核验材料（${ev.length} 件）`, en: `Evidences seen (${ev.length})` }, y);
  if (ev.length === 0) {
    line(doc, R, 9.5, MUTED, '未记录  none recorded', M, y);
    y += 18;
  }
  evRowH.forEach((rh, r) => {
    ensure(rh);
    for (let c = 0; c < evCols; c++) {
      const t = evText[r * evCols + c];
      if (!t) continue;
      const x = M + c * evW;
      drawCheck(doc, x, y + 3);
      let cy = y;
      for (const p of evPieces(t)) cy += para(doc, p.font, p.size, p.color, p.text, x + 13, cy, evW - 18, 0.5);
    }
    y += rh;
  });
  y += 8;

  // ---- footer: the promise and what to do next, at the bottom of the last page ----
  const steps: Bi[] = [
    {
      zh: '请妥善保管本回执；扫描右上角二维码或凭联办编号可随时查询办理进度。',
      en: 'Keep this receipt. Scan the QR code (top right) or quote the bundle ID to follow progress.',
    },
  ];
  if (requests.some((q) => q.service === 'citizen_card')) {
    steps.push(
      decl.cardDelivery.method === 'post'
        ? { zh: '市民卡制成后将邮寄到登记的地址，无需再跑。', en: 'The citizen card will be posted to the address you gave; no need to come back.' }
        : {
            zh: `市民卡制成后请凭本回执到${decl.cardDelivery.pickupPoint ?? '指定网点'}领取。`,
            en: 'When the citizen card is ready, collect it at the pick-up point with this receipt.',
          },
    );
  }
  steps.push({
    zh: '如状态显示“需补充材料”或“未通过”，请携带本回执回到本院登记窗口。',
    en: 'If a status reads "more information needed" or "rejected", bring this receipt back to this desk.',
  });
  const promise: Bi = {
    zh: '材料齐全的，以上事项自受理起 2 小时内办结；标“待…”者在所需证件号签发后自动接续办理。',
    en: 'Complete applications are processed within 2 hours of acceptance; items marked "awaiting" follow by themselves once the number they need is issued.',
  };
  // Two columns: what the part is (left), the words (right).
  const lx = M + 12;
  const lw = 84;
  const fx = lx + lw + 8;
  const fw = M + W - 12 - fx;
  const footerText = (draw: boolean, y0: number): number => {
    const put = draw
      ? para
      : (d: Doc, f: string, sz: number, _c: string, t: string, _x: number, _y: number, w: number, g?: number): number => measure(d, f, sz, t, w, g);
    const label = (t: Bi, at: number): void => {
      if (!draw) return;
      line(doc, B, 10, ACCENT, t.zh, lx, at);
      line(doc, R, 7.5, ACCENT, t.en, lx, at + 15);
    };
    let fy = y0 + 9;
    label({ zh: '承诺时限', en: 'Our promise' }, fy);
    fy += put(doc, R, 9, INK, promise.zh, fx, fy, fw, 0.5);
    fy += put(doc, R, 7.5, MUTED, promise.en, fx, fy, fw, 0.5) + 7;
    if (draw) doc.moveTo(lx, fy - 4).lineTo(M + W - 12, fy - 4).lineWidth(0.3).strokeColor(RULE).stroke();
    label({ zh: '接下来', en: 'What next' }, fy);
    steps.forEach((s, i) => {
      fy += put(doc, R, 9, INK, `${i + 1}. ${s.zh}`, fx, fy, fw, 0.5);
      fy += put(doc, R, 7.5, MUTED, `    ${s.en}`, fx, fy, fw, 0.5) + 2;
    });
    return fy + 7 - y0;
  };
  const footerH = footerText(false, 0);
  if (y + footerH > BOTTOM - 14) newPage();
  const fy0 = BOTTOM - 14 - footerH;
  doc.rect(M, fy0, W, footerH).fill(SHADE);
  doc.rect(M, fy0, 3, footerH).fill(ACCENT);
  footerText(true, fy0);

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
