/** The code tables: one order of progress, the city's statuses mapped onto it, one phone rule. */
import { describe, expect, it } from 'vitest';
import {
  FINAL_SERVER_STATUSES,
  FINAL_STATES,
  REQUEST_STATES,
  SERVER_STATUSES,
  SERVER_STATUS_RANK,
  SERVER_TO_LOCAL,
  SERVICES,
  STATE_RANK,
  advances,
} from './codes';
import { isValidPhone, maskPhone, normalizePhone, phoneDigits } from './phone';

describe('code tables', () => {
  it('keeps the codes in the order written', () => {
    expect(SERVICES).toEqual(['birth_certificate', 'vaccination', 'maternity_insurance', 'household_registration', 'citizen_card']);
    expect(REQUEST_STATES).toEqual(['queued', 'sending', 'accepted', 'in_review', 'approved', 'issued', 'rejected', 'needs_info', 'held']);
    expect(FINAL_STATES).toEqual(['approved', 'issued', 'rejected']);
  });

  it('advances only forward: up a rank, or approved → issued within the final rank', () => {
    expect(advances('queued', 'sending')).toBe(true);
    expect(advances('approved', 'issued')).toBe(true);
    expect(advances('issued', 'approved')).toBe(false);
    expect(advances('needs_info', 'in_review')).toBe(false);
    expect(advances('sending', 'held')).toBe(false);
  });

  it("derives the city's order from the local one: open statuses by their local state, closing ones on top", () => {
    expect(FINAL_SERVER_STATUSES).toEqual(['approved', 'issued', 'rejected', 'needs_info']);
    expect(SERVER_STATUS_RANK.received).toBeLessThan(SERVER_STATUS_RANK.in_review);
    for (const s of FINAL_SERVER_STATUSES) expect(SERVER_STATUS_RANK[s]).toBe(Math.max(...Object.values(STATE_RANK)));
    for (const s of SERVER_STATUSES) expect(REQUEST_STATES).toContain(SERVER_TO_LOCAL[s]);
    expect(SERVER_TO_LOCAL.received).toBe('accepted');
  });
});

describe('the phone rule', () => {
  it('normalises mobiles (spaces, hyphens, +86 dropped) and keeps landlines with their area code', () => {
    const raw = ['138 1234 5678', '+86 138-1234-5678', '0577-88001234', '12812345678', '88001234'];
    expect(raw.map(normalizePhone)).toEqual(['13812345678', '13812345678', '0577-88001234', '12812345678', '88001234']);
    expect(raw.map((r) => isValidPhone(normalizePhone(r)))).toEqual([true, true, true, false, false]);
  });

  it('matches on digits without the country code, and masks all but the ends', () => {
    expect(['+86 138 1234 5678', '0086 13812345678'].map(phoneDigits)).toEqual(['13812345678', '13812345678']);
    expect(['13812345678', '0577-8800', '123'].map(maskPhone)).toEqual(['138****5678', '05***8800', '***']);
  });
});
