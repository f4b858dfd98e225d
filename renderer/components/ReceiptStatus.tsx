/**
 * What the receipt screen says about the requests, true per state (issue 12): how many the city has already
 * received, how many wait for the network, how many need the desk. Never "sent once online" for a request the
 * city has already accepted.
 */
import { useTranslation } from 'react-i18next';
import type { RequestState } from '../../domain/codes';

export type ReceiptGroup = 'waiting' | 'held' | 'received';

/** The group of a state: not yet at the city (queued, sending), waiting for the clerk (held), or at the city. */
export function receiptGroup(state: RequestState): ReceiptGroup {
  if (state === 'queued' || state === 'sending') return 'waiting';
  if (state === 'held') return 'held';
  return 'received';
}

/** How many requests are in each group, in the order the sentence says them (empty groups left out). */
export function receiptCounts(states: readonly RequestState[]): { group: ReceiptGroup; count: number }[] {
  const order: ReceiptGroup[] = ['received', 'waiting', 'held'];
  return order.map((group) => ({ group, count: states.filter((s) => receiptGroup(s) === group).length })).filter((g) => g.count > 0);
}

export function ReceiptStatus({ states, submitted }: { states: readonly RequestState[] | null; submitted: number }) {
  const { t } = useTranslation();
  if (!states) return <p className="banner ok" role="status">{t('friction.receiptSubmitted', { count: submitted })}</p>;
  return (
    <p className="banner ok" role="status" data-testid="receipt-status">
      {receiptCounts(states)
        .map((g) => t(`friction.receipt_${g.group}`, { count: g.count }))
        .join(' ')}
    </p>
  );
}
