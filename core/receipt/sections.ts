/**
 * The receipt's sections, drawn top to bottom on a cursor: the header (title, QR code, who, where, when),
 * the family, the requests table, the evidences and the footer. The words come from `text.ts`.
 */
import { ISSUED_LABELS, SERVICE_LABELS, STATE_LABELS } from '../../domain/codes';
import type { Registration, ServiceRequest } from '../../domain/types';
import { ACCENT, B, BOTTOM, INK, M, MUTED, R, RULE, SHADE, W, WARN, cell, drawCheck, drawPieces, fitSize, line, measure, para, piecesHeight, rule, sectionHeading, type Doc, type Piece } from './draw';
import { PENDING, type Bi } from './labels';
import { QR_BOX, QR_SIZE, drawQr } from './qr';
import { district, evidenceText, familyRows, issuedNumber, needsAction, nextSteps, PROMISE, waitingFor } from './text';

/** Where the next section starts; `newPage` continues on a fresh page, `ensure` does so unless `h` still fits. */
export interface Cursor {
  doc: Doc;
  y: number;
  newPage(): void;
  ensure(h: number): void;
}

export function drawHeader(c: Cursor, reg: Registration, at: { hospitalName: string; clerkName: string; time: string; qrText: string }): void {
  const { doc } = c;
  const top = c.y;
  const leftW = W - QR_SIZE - 16;
  line(doc, B, 18, INK, '新生儿“出生一件事”联办回执', M, c.y);
  c.y += 25;
  line(doc, R, 9.5, MUTED, 'Newborn "One Thing at Birth" joint application — receipt', M, c.y);
  c.y += 17;
  drawQr(doc, at.qrText, QR_BOX.x, QR_BOX.y, QR_BOX.size);
  line(doc, R, 7.5, MUTED, '扫码查询进度  Scan to track', M + W - QR_SIZE - 10, top + QR_SIZE - 2, { width: QR_SIZE + 10, align: 'center' });

  const hHosp = cell(doc, { zh: '医院', en: 'Hospital' }, at.hospitalName, M, c.y, leftW * 0.62);
  const hTime = cell(doc, { zh: '办理时间', en: 'Filed at (UTC+8)' }, at.time, M + leftW * 0.66, c.y, leftW * 0.34);
  c.y += Math.max(hHosp, hTime) + 6;
  const c1 = leftW * 0.22;
  const c2 = leftW * 0.3;
  const hDesk = cell(doc, { zh: '窗口', en: 'Desk' }, reg.deskId, M, c.y, c1 - 6);
  const hClerk = cell(doc, { zh: '经办人', en: 'Clerk' }, at.clerkName, M + c1, c.y, c2 - 6);
  const hId = cell(doc, { zh: '联办编号', en: 'Bundle ID' }, reg.id, M + c1 + c2, c.y, leftW - c1 - c2, { size: 8.5 });
  c.y += Math.max(hDesk, hClerk, hId) + 8;
  c.y = Math.max(c.y, top + QR_SIZE + 12);
  rule(doc, c.y, 1.4, ACCENT);
  c.y += 12;
}

export function drawFamily(c: Cursor, reg: Registration): void {
  const { doc } = c;
  c.y = sectionHeading(doc, { zh: '家庭与新生儿', en: 'Family and newborn' }, c.y);
  const rows = familyRows(reg);
  const titleW = 64;
  const gridW = [100, 128, 118, W - titleW - 346];
  rows.forEach((row, ri) => {
    let x = M + titleW;
    let rh = 0;
    line(doc, B, 10, INK, row.title.zh, M, c.y + 1);
    line(doc, R, 7.5, MUTED, row.title.en, M, c.y + 15);
    let gi = 0;
    for (const f of row.cells) {
      const span = f.span ?? 1;
      const w = gridW.slice(gi, gi + span).reduce((a, b) => a + b, 0);
      rh = Math.max(rh, cell(doc, f.label, f.value, x, c.y, w - 8, { ...(f.sub ? { sub: f.sub } : {}), ...(f.muted ? { color: MUTED } : {}) }));
      x += w;
      gi += span;
    }
    c.y += Math.max(rh, 26) + 4;
    if (ri < rows.length - 1) rule(doc, c.y, 0.3);
    c.y += 4;
  });
  c.y += 8;
}

const HEADS: Bi[] = [
  { zh: '事项', en: 'Service' },
  { zh: '受理地区', en: 'Routed to' },
  { zh: '办理状态', en: 'Status' },
  { zh: '等待', en: 'Waiting for' },
  { zh: '证件 / 编号', en: 'Number issued' },
];
const WIDTHS = [122, 62, 84, 132, W - 400];
const XS = WIDTHS.map((_, i) => M + WIDTHS.slice(0, i).reduce((a, b) => a + b, 0));
const PAD_X = 6;

/** The five columns of one request's row. */
function requestPieces(doc: Doc, q: ServiceRequest, idx: number, all: ServiceRequest[]): Piece[][] {
  const svc = SERVICE_LABELS[q.service];
  const dist = district(q.jurisdiction);
  const st = STATE_LABELS[q.state];
  const waits = waitingFor(q, all);
  const number = issuedNumber(q);
  const pair = (font: string, size: number, color: string, zh: string, en: string): Piece[] => [
    { font, size, color, text: zh },
    { font: R, size: 7, color: MUTED, text: en },
  ];
  return [
    pair(B, 9.5, INK, `${idx + 1}. ${svc.zh}`, svc.en),
    pair(R, 9.5, INK, dist.zh, dist.en),
    pair(R, 9.5, needsAction(q.state) ? WARN : INK, st.zh, st.en),
    waits.length ? waits.flatMap((w) => pair(R, 9, INK, w.zh, w.en)) : [{ font: R, size: 9.5, color: MUTED, text: '—' }],
    q.state === 'rejected' && !number
      ? pair(R, 9.5, MUTED, '—', 'not issued')
      : number
        ? pair(B, fitSize(doc, B, number, WIDTHS[4]! - 2 * PAD_X, 9.5, 7), INK, number, ISSUED_LABELS[q.service].en)
        : pair(R, 9.5, WARN, PENDING.zh, `${ISSUED_LABELS[q.service].en}: ${PENDING.en}`),
  ];
}

export function drawRequests(c: Cursor, requests: ServiceRequest[]): void {
  const { doc } = c;
  c.ensure(80);
  c.y = sectionHeading(doc, { zh: `联办事项（${requests.length} 项）`, en: `Requests filed (${requests.length})` }, c.y);
  const headRow = (): void => {
    doc.rect(M, c.y, W, 24).fill(SHADE);
    HEADS.forEach((h, i) => {
      line(doc, B, 8.5, INK, h.zh, XS[i]! + PAD_X, c.y + 3);
      line(doc, R, 7, MUTED, h.en, XS[i]! + PAD_X, c.y + 14);
    });
    c.y += 24;
  };
  headRow();
  requests.forEach((q, idx) => {
    const cellsOf = requestPieces(doc, q, idx, requests);
    const heights = cellsOf.map((pieces, i) => piecesHeight(doc, pieces, WIDTHS[i]! - 2 * PAD_X));
    // The city's reason, under the row from the status column to the edge: it can be a sentence or two.
    const reason = needsAction(q.state) && q.reason ? q.reason.slice(0, 140) : null;
    const reasonX = XS[2]! + PAD_X;
    const reasonW = M + W - PAD_X - reasonX;
    const reasonText = reason ? `原因 Reason：${reason}` : null;
    const reasonH = reasonText ? measure(doc, R, 8, reasonText, reasonW, 0.5) + 2 : 0;
    const rowH = Math.max(...heights) + 8 + reasonH;
    if (c.y + rowH > BOTTOM - 14) {
      c.newPage();
      headRow();
    }
    cellsOf.forEach((pieces, i) => drawPieces(doc, pieces, XS[i]! + PAD_X, c.y + 5, WIDTHS[i]! - 2 * PAD_X));
    if (reasonText) para(doc, R, 8, WARN, reasonText, reasonX, c.y + rowH - reasonH - 4, reasonW, 0.5);
    c.y += rowH;
    rule(doc, c.y, 0.5);
  });
  c.y += 16;
}

export function drawEvidences(c: Cursor, reg: Registration): void {
  const { doc } = c;
  const evText = evidenceText(reg);
  const evCols = 5;
  const evW = W / evCols;
  const evPieces = (t: (typeof evText)[number]): Piece[] => [
    { font: R, size: 9, color: INK, text: t.kind.zh },
    { font: R, size: 6.5, color: MUTED, text: t.kind.en },
    { font: R, size: 7, color: ACCENT, text: `${t.cap.zh}  ${t.cap.en}` },
  ];
  const evRowH: number[] = [];
  for (let i = 0; i < evText.length; i += evCols) {
    evRowH.push(Math.max(...evText.slice(i, i + evCols).map((t) => piecesHeight(doc, evPieces(t), evW - 18))) + 6);
  }
  c.ensure(26 + (evRowH[0] ?? 18));
  c.y = sectionHeading(doc, { zh: `已核验材料（${evText.length} 件）`, en: `Evidences seen (${evText.length})` }, c.y);
  if (evText.length === 0) {
    line(doc, R, 9.5, MUTED, '未记录  none recorded', M, c.y);
    c.y += 18;
  }
  evRowH.forEach((rh, r) => {
    c.ensure(rh);
    for (let col = 0; col < evCols; col++) {
      const t = evText[r * evCols + col];
      if (!t) continue;
      const x = M + col * evW;
      drawCheck(doc, x, c.y + 3);
      drawPieces(doc, evPieces(t), x + 13, c.y, evW - 18);
    }
    c.y += rh;
  });
  c.y += 8;
}

/** The promise and what to do next, at the bottom of the last page. */
export function drawFooter(c: Cursor, reg: Registration, requests: ServiceRequest[]): void {
  const { doc } = c;
  const steps = nextSteps(reg, requests);
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
    fy += put(doc, R, 9, INK, PROMISE.zh, fx, fy, fw, 0.5);
    fy += put(doc, R, 7.5, MUTED, PROMISE.en, fx, fy, fw, 0.5) + 7;
    if (draw) doc.moveTo(lx, fy - 4).lineTo(M + W - 12, fy - 4).lineWidth(0.3).strokeColor(RULE).stroke();
    label({ zh: '接下来', en: 'What next' }, fy);
    steps.forEach((s, i) => {
      fy += put(doc, R, 9, INK, `${i + 1}. ${s.zh}`, fx, fy, fw, 0.5);
      fy += put(doc, R, 7.5, MUTED, `    ${s.en}`, fx, fy, fw, 0.5) + 2;
    });
    return fy + 7 - y0;
  };
  const footerH = footerText(false, 0);
  if (c.y + footerH > BOTTOM - 14) c.newPage();
  const fy0 = BOTTOM - 14 - footerH;
  doc.rect(M, fy0, W, footerH).fill(SHADE);
  doc.rect(M, fy0, 3, footerH).fill(ACCENT);
  footerText(true, fy0);
}
