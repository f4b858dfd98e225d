/** Backoff with full jitter and Retry-After parsing: properties over all attempts and random draws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, backoffCeiling, backoffDelay, parseRetryAfter } from './backoff';

describe('backoff', () => {
  it('doubles from 2 s and is capped at 10 minutes', () => {
    expect([1, 2, 3, 4].map((n) => backoffCeiling(n))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffCeiling(9)).toBe(512_000);
    expect(backoffCeiling(10)).toBe(DEFAULT_BACKOFF.capMs);
    expect(backoffCeiling(10_000)).toBe(DEFAULT_BACKOFF.capMs);
  });

  it('full jitter: every delay lies in [0, ceiling) whatever the attempt and the random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 1_000_000 }), fc.double({ min: -1, max: 2, noNaN: false }), (attempt, r) => {
        const d = backoffDelay(attempt, () => r);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(backoffCeiling(attempt));
      }),
    );
  });

  it('spreads retries out (not all desks in step)', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = Array.from({ length: 200 }, () => backoffDelay(6, random));
    expect(new Set(delays).size).toBeGreaterThan(150);
    expect(Math.min(...delays)).toBeLessThan(backoffCeiling(6) / 4);
    expect(Math.max(...delays)).toBeGreaterThan((backoffCeiling(6) * 3) / 4);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-15T02:00:00Z');
  it('reads delta-seconds and HTTP dates, and clamps', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Sun, 15 Mar 2026 02:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sun, 15 Mar 2026 01:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });
  it('ignores what it does not understand', () => {
    for (const v of [null, undefined, '', 'soon', '-5', '1.5', '2026-03-15']) expect(parseRetryAfter(v, now)).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseRetryAfter(s, now);
        expect(r === null || (r >= 0 && r <= MAX_RETRY_AFTER_MS)).toBe(true);
      }),
    );
  });
});
