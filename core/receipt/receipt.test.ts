/**
 * Receipts, read back the way a person or a printer would: pdftotext for the words, pdffonts for the
 * embedded subset, pdfinfo for the page count, pdftoppm for the pixels (the QR code is sampled module by
 * module against the matrix it should encode). Needs Debian poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVICE_LABELS } from '../../domain/codes';
import { maskIdNumber, withCheckChar } from '../../domain/idnumber';
import { FATHER_ID, MOTHER_ID, hospitalName, midFlight, receiptRegistration, receiptRequests } from './fixture';
import { FONT_DIR_ENV, FONT_FILES, ReceiptFontError, fontPaths, useFontDir } from './fonts';
import type { ReceiptPort } from '../api/ports';
import { QR_BOX, ReceiptInputError, renderReceipt, type ReceiptInput } from './receipt';

// renderReceipt is the ReceiptPort the service layer expects (checked by the compiler).
const port: ReceiptPort = { render: renderReceipt };

const dir = mkdtempSync(path.join(tmpdir(), 'receipt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date('2026-03-15T02:42:00Z'); // 10:42 in Wenzhou
const TRACK = 'https://track.example.wenzhou.gov.cn/b/0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80';

function input(over: Partial<ReceiptInput> = {}): ReceiptInput {
  const registration = over.registration ?? receiptRegistration();
  return {
    registration,
    requests: receiptRequests(registration),
    hospitalName: hospitalName(),
    clerkName: '李晓燕',
    training: false,
    trackingUrl: TRACK,
    now: NOW,
    ...over,
  };
}

let n = 0;
async function render(inp: ReceiptInput): Promise<{ file: string; pdf: Buffer; text: string; pages: number; fonts: string }> {
  const pdf = await renderReceipt(inp);
  const file = path.join(dir, `r${++n}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  return { file, pdf, text, pages, fonts };
}

/** pdftotext may break a line anywhere a column wraps: compare without whitespace. */
const flat = (s: string): string => s.replace(/\s+/g, '');

describe('renderReceipt', () => {
  it('prints the family, every request, masked ID numbers only, on one A4 page with a subset CJK font', async () => {
    const inp = input();
    const { pdf, text, pages, fonts, file } = await render(inp);
    const t = flat(text);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBe(1);
    expect(pdf.length).toBeLessThan(150 * 1024);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);

    for (const s of ['新生儿“出生一件事”联办回执', 'jointapplication', '王丽华', '陈建国', '陈思远', '李晓燕', hospitalName(), '3350g/50cm', '2026年3月14日08:25']) {
      expect(t, s).toContain(flat(s));
    }
    expect(inp.requests).toHaveLength(5);
    for (const q of inp.requests) {
      expect(t).toContain(flat(SERVICE_LABELS[q.service].zh));
      expect(t).toContain(flat(SERVICE_LABELS[q.service].en));
    }
    // Masked as 3303**********1284-style; never in full, not even split across a line.
    expect(maskIdNumber(MOTHER_ID)).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    expect(t).toContain(maskIdNumber(MOTHER_ID));
    expect(t).toContain(maskIdNumber(FATHER_ID));
    expect(t).not.toContain(MOTHER_ID);
    expect(t).not.toContain(FATHER_ID);
    expect(t).not.toMatch(/\d{17}[\dX]/);
    // Phone masked too.
    expect(t).toContain('139****2345');
    expect(t).not.toContain('13957712345');

    // Routing (cross-district: mother insured in Ouhai), states, what each waits for, pending numbers.
    expect(t).toContain('瓯海区');
    expect(t).toContain('鹿城区');
    expect(t.match(/已登记，待提交/g)).toHaveLength(5);
    expect(t.match(/待签发/g)?.length).toBe(5);
    expect(t.match(/待出生医学证明号/g)).toHaveLength(2); // maternity claim and household registration
    expect(t).toContain('待公民身份号码'); // citizen card
    // Evidences and how they were captured; the promise and next steps.
    for (const s of ['母亲身份证件', '父亲身份证件', '结婚证', '户口簿', '母亲住院腕带', '读卡器读取', '人工核验', '扫码']) expect(t).toContain(s);
    expect(t).toContain('2小时内办结');
    expect(t).toContain('鹿城区市民卡服务中心领取');
    expect(t).toContain('0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f80');
    expect(t).toContain('2026-03-1510:42');
    expect(t).not.toContain('TRAINING');

    // Fonts: only Noto Sans SC, embedded, subset (the "ABCDEF+" prefix), with a ToUnicode map.
    const rows = fonts.split('\n').slice(2).filter((l) => l.trim());
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    for (const r of rows) {
      expect(r).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    }
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const inp = input({ requests: midFlight(receiptRegistration()) });
    const a = await renderReceipt(inp);
    const b = await port.render(inp);
    expect(a.equals(b)).toBe(true);
  });

  it('draws the QR code of the tracking URL (sampled module by module from the rendered page)', async () => {
    const { file } = await render(input());
    const dpi = 288;
    const k = dpi / 72;
    const out = path.join(dir, 'qr');
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-singlefile', '-f', '1', '-l', '1', file, out]);
    const pgm = readFileSync(`${out}.pgm`);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const width = Number(header[1]);
    const data = pgm.subarray(header[0].length);
    const m = QRCode.create(TRACK, { errorCorrectionLevel: 'M' }).modules;
    const cell = QR_BOX.size / (m.size + 2 * QR_BOX.quiet);
    let mismatches = 0;
    for (let r = -1; r <= m.size; r++) {
      for (let c = -1; c <= m.size; c++) {
        const x = Math.round((QR_BOX.x + (QR_BOX.quiet + c + 0.5) * cell) * k);
        const y = Math.round((QR_BOX.y + (QR_BOX.quiet + r + 0.5) * cell) * k);
        const dark = data[y * width + x]! < 128;
        const want = r >= 0 && c >= 0 && r < m.size && c < m.size && m.get(r, c) === 1; // quiet zone light
        if (dark !== want) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('shows issued numbers once they arrive, masking the child\'s citizen ID number', async () => {
    const reg = receiptRegistration();
    const childId = withCheckChar('33030220260314002')!;
    const requests = receiptRequests(reg, {
      birth_certificate: { state: 'issued', documentNumber: 'P330123456' },
      vaccination: { state: 'approved', documentNumber: 'YM3303022026031400087' },
      maternity_insurance: { state: 'approved', documentNumber: 'SY2026-0042' },
      household_registration: { state: 'issued', documentNumber: childId },
      citizen_card: { state: 'in_review' },
    });
    const t = flat((await render(input({ registration: reg, requests }))).text);
    for (const s of ['P330123456', 'YM3303022026031400087', 'SY2026-0042', maskIdNumber(childId), '已签发', '已批准', '审核中']) expect(t).toContain(s);
    expect(t).not.toContain(childId);
    expect(t.match(/待签发/g)).toHaveLength(1); // only the citizen card
    expect(t).not.toContain('待出生医学证明号');
    expect(t).not.toContain('待公民身份号码');
  });

  it('mid-flight: routing and waits follow the documents already issued', async () => {
    const reg = receiptRegistration();
    const t = flat((await render(input({ registration: reg, requests: midFlight(reg) }))).text);
    expect(t).toContain('P330123456');
    expect(t).not.toContain('待出生医学证明号');
    expect(t).toContain('待公民身份号码');
    expect(t.match(/待签发/g)).toHaveLength(3);
  });

  it('an unnamed child: 未取名, and the services a name is needed for are not on it', async () => {
    const reg = receiptRegistration({ child: { name: undefined } });
    expect(reg.child.name).toBeUndefined();
    const requests = receiptRequests(reg);
    const r = await render(input({ registration: reg, requests }));
    const t = flat(r.text);
    expect(t).toContain('未取名');
    expect(t).toContain('notyetnamed');
    expect(t).not.toContain('陈思远');
    for (const q of requests) expect(t).toContain(flat(SERVICE_LABELS[q.service].zh));
    expect(t).toContain(`联办事项（${requests.length}项）`);
    expect(r.pages).toBe(1);
  });

  it('a father absent: 未登记, no father ID anywhere', async () => {
    const reg = receiptRegistration({
      father: null,
      evidences: [
        { kind: 'mother_id', capture: 'id_reader' },
        { kind: 'household_booklet', capture: 'manual' },
        { kind: 'mother_wristband', capture: 'scan', ref: 'ZY2026031401' },
      ],
    });
    const r = await render(input({ registration: reg, requests: receiptRequests(reg) }));
    const t = flat(r.text);
    expect(t).toContain('未登记');
    expect(t).toContain('notrecorded');
    expect(t).not.toContain('陈建国');
    expect(t).not.toContain(maskIdNumber(FATHER_ID));
    expect(t).not.toContain('父亲身份证件');
    expect(t).toContain('已核验材料（3件）');
    expect(t).toContain(maskIdNumber(MOTHER_ID));
    expect(r.pages).toBe(1);
  });

  it('training: a banner and a watermark on the page; otherwise the same receipt', async () => {
    const r = await render(input({ training: true, requests: midFlight(receiptRegistration()) }));
    const t = flat(r.text);
    expect(t).toContain('TRAINING');
    expect(t).toContain('培训模式·非正式回执');
    expect(t).toContain('王丽华');
    expect(r.pages).toBe(1);
    // The one picture a person looks at: kept under test-results/receipt/.
    const outDir = path.resolve('test-results/receipt');
    mkdirSync(outDir, { recursive: true });
    execFileSync('pdftoppm', ['-r', '80', '-png', '-singlefile', r.file, path.join(outDir, 'receipt-training')]);
    expect(readFileSync(path.join(outDir, 'receipt-training.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a rejection shows its reason; a long one flows, nothing is cut', async () => {
    const reg = receiptRegistration();
    const reason = '父亲户籍信息与户口簿不一致，请核对户口簿首页与本人页后重新提交；如有疑问请咨询落户地派出所户籍窗口。';
    const requests = receiptRequests(reg, {
      birth_certificate: { state: 'issued', documentNumber: 'P330123456' },
      household_registration: { state: 'needs_info', reason },
      maternity_insurance: { state: 'rejected', reason: '母亲未在瓯海区参加生育保险' },
    });
    const r = await render(input({ registration: reg, requests }));
    const t = flat(r.text);
    expect(t).toContain(flat(reason));
    expect(t).toContain('需补充材料');
    expect(t).toContain('未通过');
    expect(t).toContain('母亲未在瓯海区参加生育保险');
    expect(t).toContain('notissued'); // a rejected claim issues nothing: not "pending"
    expect(t.match(/待签发/g)).toHaveLength(3); // vaccination, household registration, citizen card
    expect(t).toContain('2小时内办结');
  });

  it('refuses bad input with the field at fault', async () => {
    const reg = receiptRegistration();
    const other = { ...receiptRegistration(), id: '0195a3c2-7b4e-7c1d-9f2a-3b4c5d6e7f99' };
    const cases: Array<[Partial<ReceiptInput>, string]> = [
      [{ hospitalName: '  ' }, 'hospitalName'],
      [{ clerkName: '' }, 'clerkName'],
      [{ requests: [] }, 'requests'],
      [{ requests: receiptRequests(other) }, 'requests[0].registrationId'],
      [{ now: new Date('nope') }, 'now'],
      [{ trackingUrl: 'not a url' }, 'trackingUrl'],
      [{ registration: { ...reg, mother: { ...reg.mother, docType: 'bogus' } } as never }, 'registration.mother.docType'],
    ];
    for (const [over, field] of cases) {
      const err = await renderReceipt(input({ registration: reg, ...over })).catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ReceiptInputError);
      expect((err as ReceiptInputError).field).toBe(field);
    }
    const dup = receiptRequests(reg).slice(0, 2);
    dup[1] = { ...dup[1]!, service: dup[0]!.service };
    const err = await renderReceipt(input({ registration: reg, requests: dup })).catch((e: unknown) => e);
    expect((err as ReceiptInputError).field).toBe('requests[1].service');
  });
});

describe('fontPaths', () => {
  it('finds the two Noto Sans SC files in node_modules', () => {
    const p = fontPaths();
    expect(p.regular).toMatch(/NotoSansSC_400Regular\.ttf$/);
    expect(p.bold).toMatch(/NotoSansSC_700Bold\.ttf$/);
    expect(readFileSync(p.regular).readUInt32BE(0)).toBe(0x00010000); // TrueType
  });

  it('takes a flat folder (packaged extraResources) and refuses a folder without the fonts, naming it', () => {
    const flatDir = path.join(dir, 'fonts');
    mkdirSync(flatDir, { recursive: true });
    const src = fontPaths();
    // Symlinks: 20 MB copies would be wasted; the resolver only needs the names.
    execFileSync('ln', ['-sf', src.regular, path.join(flatDir, FONT_FILES.regular.file)]);
    execFileSync('ln', ['-sf', src.bold, path.join(flatDir, FONT_FILES.bold.file)]);
    expect(fontPaths(flatDir).regular).toBe(path.join(flatDir, FONT_FILES.regular.file));

    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(() => fontPaths(empty)).toThrow(ReceiptFontError);
    expect(() => fontPaths(empty)).toThrow(empty);
    const before = process.env[FONT_DIR_ENV];
    process.env[FONT_DIR_ENV] = empty;
    try {
      expect(() => fontPaths()).toThrow(FONT_DIR_ENV);
    } finally {
      if (before === undefined) delete process.env[FONT_DIR_ENV];
      else process.env[FONT_DIR_ENV] = before;
    }
    useFontDir(flatDir);
    try {
      expect(fontPaths().bold).toBe(path.join(flatDir, FONT_FILES.bold.file));
    } finally {
      useFontDir(null);
    }
  });
});
