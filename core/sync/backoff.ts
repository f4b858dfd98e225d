/**
 * Retry timing: exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * the delay after attempt n is uniform in [0, min(cap, base · 2^(n−1))), so a desk's retries spread out and 37
 * hospitals coming back online together do not hit the city in step. `Retry-After` from the city wins when later.
 */

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** 2 s base, 10 min cap. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 10 * 60_000 };

/** The ceiling of the delay after attempt `attempt` (1-based): min(cap, base · 2^(attempt−1)). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^40 · base is far past any cap: stop doubling before it overflows to Infinity.
  const exp = Math.min(n - 1, 40);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exp);
}

/** Full jitter: a delay uniform in [0, ceiling). `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 0.999_999) : 0.5;
  return Math.floor(unit * backoffCeiling(attempt, policy));
}

/** Longest Retry-After honoured (a hostile or broken answer must not park the desk for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * `Retry-After` (RFC 9110 §10.2.3) in ms from `nowMs`: delta-seconds or an HTTP-date. Null when absent or not
 * understood; clamped to [0, MAX_RETRY_AFTER_MS].
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  let ms: number;
  if (/^\d{1,10}$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (!Number.isFinite(at) || !/[A-Za-z]{3},/.test(text)) return null;
    ms = at - nowMs;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
