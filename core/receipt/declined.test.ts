/** Issue 12: a service the family asked for and the clerk declined ("不办理此项") is printed with the reason. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hospitalName, receiptRegistration, receiptRequests } from './fixture';
import { renderReceipt } from './receipt';

const dir = mkdtempSync(path.join(tmpdir(), 'receipt-declined-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the receipt lists declined services', () => {
  it('prints each declined service with the clerk\'s reason, and the filed count without it', async () => {
    const base = receiptRegistration();
    const registration = { ...base, services: base.services.filter((s) => s !== 'citizen_card'), declined: [{ service: 'citizen_card' as const, reason: '家属暂不办理市民卡' }] };
    const requests = receiptRequests(registration);
    const pdf = await renderReceipt({ registration, requests, hospitalName: hospitalName(), clerkName: '李晓燕', training: false, trackingUrl: 'https://track.example.wenzhou.gov.cn/b/x', now: new Date('2026-03-15T02:42:00Z') });
    const file = path.join(dir, 'declined.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('未办理事项（1项）');
    expect(text).toContain('家属暂不办理市民卡');
    expect(text).toContain(`联办事项（${requests.length}项）`);
    expect(requests.map((r) => r.service)).not.toContain('citizen_card');
  });
});
