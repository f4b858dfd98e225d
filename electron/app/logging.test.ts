import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withCheckChar } from '../../domain/idnumber';
import { createFileLogger } from '../browser-mode/log';
import { isSensitiveKey, redact, redactArgs, redactText } from './logging';

const ID18 = withCheckChar('33030219900307123')!;

describe('redaction', () => {
  it('masks ID numbers of every shape inside free text', () => {
    const samples = [
      ID18, // resident ID
      '330302900307123', // 15-digit resident ID
      withCheckChar('81000019900307123')!, // HK residence permit
      withCheckChar('93315619900307123')!, // 2023 foreigner card
      'USA330090030712', // 2017 foreigner card shape
      'H12345678', // HK/Macau travel permit
      'M1234567801',
      'E12345678', // passports
      'EA1234567',
    ];
    for (const s of samples) {
      const out = redactText(`card ${s} read at desk 2`);
      expect(out, s).not.toContain(s);
      expect(out).toMatch(/^card \S*\*{2,}\S* read at desk 2$/);
    }
  });

  it('masks mainland mobile numbers, with +86 and separators', () => {
    for (const p of ['13812345678', '+86 13812345678', '8613812345678', '138-1234-5678', '138 1234 5678']) {
      const out = redactText(`guardian ${p}.`);
      expect(out, p).toBe('guardian 138****5678.');
    }
  });

  it('leaves technical identifiers alone', () => {
    const uuid = '0192f3a4-7b1c-7d2e-8f90-123456789abc';
    const text = `request ${uuid} took 120 ms at 2026-11-28T10:00:00Z, certificate queue 42, port 54321`;
    expect(redactText(text)).toBe(text);
  });

  it('masks the whole value of fields named like a name, phone or document number, at any depth', () => {
    const out = redact({
      method: 'submit',
      registration: {
        mother: { name: '王小红', phone: '13812345678', docNumber: ID18, idNumber: ID18 },
        child: { name: '李安' },
        guardianPhone: '13987654321',
        motherName: 'Jane Doe',
      },
      note: `mother ${ID18}`,
      fileName: 'receipt.pdf',
    }) as { fileName: string; method: string; registration: { mother: Record<string, string>; child: Record<string, string> } };
    const s = JSON.stringify(out);
    for (const secret of ['王小红', '小红', '13812345678', ID18, '李安', '13987654321', 'Jane Doe']) expect(s).not.toContain(secret);
    expect(out.registration.mother.name).toBe('王**');
    expect(out.registration.child.name).toBe('李*');
    expect(out.registration.mother.phone).toBe('138****5678');
    expect(out.registration.mother.docNumber).toBe('3303**********' + ID18.slice(-4));
    expect(out.fileName).toBe('receipt.pdf');
    expect(out.method).toBe('submit');
  });

  it('handles errors, buffers, cycles and electron-log argument lists', () => {
    const err = Object.assign(new Error(`bad id ${ID18}`), { code: 'E_ID' });
    const cyc: Record<string, unknown> = { phone: '13812345678' };
    cyc.self = cyc;
    const [e, b, c] = redactArgs([err, Buffer.from('abc'), cyc]) as [Record<string, unknown>, string, Record<string, unknown>];
    expect(e.message).not.toContain(ID18);
    expect(String(e.stack)).not.toContain(ID18);
    expect(e.code).toBe('E_ID');
    expect(b).toBe('[3 bytes]');
    expect(c.self).toBe('[circular]');
  });

  it('knows which keys are personal', () => {
    for (const k of ['name', 'motherName', 'phone', 'guardianPhone', 'idNumber', 'docNumber', 'mobile']) expect(isSensitiveKey(k), k).toBe(true);
    for (const k of ['fileName', 'hostname', 'method', 'deviceName', 'code', 'service']) expect(isSensitiveKey(k), k).toBe(false);
  });

  it('property: no valid 18-digit ID or mobile number survives redaction in any text', () => {
    const id = fc
      .tuple(fc.constantFrom('33', '11', '81', '44'), fc.stringMatching(/^\d{4}$/), fc.date({ min: new Date('1950-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }), fc.stringMatching(/^\d{3}$/))
      .map(([p, a, d, s]) => withCheckChar(`${p}${a}${d.toISOString().slice(0, 10).replace(/-/g, '')}${s}`)!);
    const phone = fc.stringMatching(/^1[3-9]\d{9}$/);
    const filler = fc.string({ maxLength: 12 }).map((s) => s.replace(/[0-9A-Za-z]/g, ' '));
    fc.assert(
      fc.property(id, phone, filler, filler, (i, p, a, b) => {
        const out = redactText(`${a}${i}${b}${p}${a}`);
        expect(out).not.toContain(i);
        expect(out).not.toContain(p);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Node file logger (browser mode)', () => {
  it('writes redacted lines, respects the level, and rotates by size keeping maxFiles old files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-log-'));
    const log = createFileLogger({ dir, maxBytes: 400, maxFiles: 2, level: 'info' });
    log.debug('not written');
    log.info(`read card ${ID18}`, { mother: { name: '王小红', phone: '13812345678' } });
    const first = readFileSync(log.file, 'utf8');
    expect(first).toMatch(/\[info\]\s+read card 3303\*+/);
    expect(first).not.toContain(ID18);
    expect(first).not.toContain('王小红');
    expect(first).not.toContain('13812345678');
    expect(first).not.toContain('not written');
    for (let i = 0; i < 40; i += 1) log.warn(`line ${i} ${'x'.repeat(40)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['desk.1.log', 'desk.2.log', 'desk.log']);
    for (const f of files) expect(readFileSync(path.join(dir, f)).length).toBeLessThanOrEqual(400);
    expect(readFileSync(log.file, 'utf8')).toContain('line 39');
    expect(existsSync(path.join(dir, 'desk.3.log'))).toBe(false);
  });
});

describe('redaction leaves UUIDs whole (issue 13: 41 of 3,697 registration ids were starred)', () => {
  it('never changes a UUIDv7, alone or in a sentence, while the personal numbers beside it are still masked', async () => {
    const { v7: uuidv7, v4: uuidv4 } = await import('uuid');
    const ids = [
      ...Array.from({ length: 5000 }, () => uuidv7()),
      ...Array.from({ length: 1000 }, () => uuidv4()),
      '13812345-6789-7123-8123-138123456789', // every group digits only: a phone and an ID shape inside
      '01938a2b-1390-7000-8000-110101199003074514',
    ].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id));
    expect(ids.length).toBeGreaterThan(6000);
    for (const id of ids) {
      expect(redactText(id)).toBe(id);
      expect(redactText(`registration ${id} submitted`)).toBe(`registration ${id} submitted`);
      expect(redact({ registrationId: id, requestIds: [id] })).toEqual({ registrationId: id, requestIds: [id] });
    }
    const id = ids[0]!;
    const idNumber = withCheckChar('11010119900307451')!;
    const masked = redactText(`${id} 13812345678 ${idNumber}`);
    expect(masked.startsWith(`${id} `)).toBe(true);
    expect(masked).not.toContain('13812345678');
    expect(masked).not.toContain(idNumber);
  });
});
