/**
 * A time the caller states (`confirmedAt`: when the clerk confirmed, by the page's clock). The audit time is
 * always the desk's own clock (db/audit-repo.ts); the stated time is kept beside it only when it is within
 * STATED_TIME_TOLERANCE_MS of the desk clock, else the call is refused with a field error and nothing runs.
 */
import { KioskError } from '../result';

export const STATED_TIME_TOLERANCE_MS = 10 * 60 * 1000;

export function boundedStatedTime(confirmedAt: string | undefined, now: Date): string | undefined {
  if (confirmedAt === undefined) return undefined;
  const t = Date.parse(confirmedAt);
  const minutes = STATED_TIME_TOLERANCE_MS / 60_000;
  if (!Number.isFinite(t) || Math.abs(t - now.getTime()) > STATED_TIME_TOLERANCE_MS) {
    throw new KioskError(
      'bad_request',
      { en: `The confirmation time is not within ${minutes} minutes of the desk's clock.`, zh: `确认时间与本机时钟相差超过 ${minutes} 分钟。` },
      {
        fields: [
          {
            path: 'confirmedAt',
            code: 'out_of_range',
            message: {
              en: `expected a time within ${minutes} minutes of the desk's clock (${now.toISOString()}), got ${confirmedAt}`,
              zh: `应在本机时钟（${now.toISOString()}）前后 ${minutes} 分钟以内，实际为 ${confirmedAt}`,
            },
          },
        ],
      },
    );
  }
  return new Date(t).toISOString();
}
