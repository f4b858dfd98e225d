/**
 * What the receipt screen says about the requests, true per state (issue 12): how many the city has already
 * received, how many wait for another request's result (the birth certificate number, the household
 * registration), how many wait for the network — said only when the desk is offline — and how many need the
 * desk. Never "sent once online" for a request the city has already accepted or one that waits for a dependency.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fillDependencyFields } from '../../domain/bundle';
import type { RequestState, Service } from '../../domain/codes';
import { useDesk } from '../lib/desk';

/**
 * received: at the city · dependency: queued, waiting for a dependency's document number · sending / offline /
 * pending: queued or sending, the desk online / offline / not known yet · held: waiting for the clerk.
 */
export type ReceiptGroup = 'received' | 'sending' | 'offline' | 'pending' | 'dependency' | 'held';

export interface ReceiptRequest {
  service: Service;
  state: RequestState;
  dependsOn: readonly Service[];
  documentNumber: string | null;
}

/** The group of one request among its registration's requests; `online` null while the sync status is unknown. */
export function receiptGroup(r: ReceiptRequest, all: readonly ReceiptRequest[], online: boolean | null): ReceiptGroup {
  if (r.state === 'held') return 'held';
  if (r.state !== 'queued' && r.state !== 'sending') return 'received';
  if (r.state === 'queued' && r.dependsOn.length > 0) {
    const results = Object.fromEntries(all.map((o) => [o.service, o.documentNumber]));
    if (fillDependencyFields({}, r.dependsOn, results).missing.length > 0) return 'dependency';
  }
  return online === null ? 'pending' : online ? 'sending' : 'offline';
}

/** How many requests are in each group, in the order the sentence says them (empty groups left out). */
export function receiptCounts(requests: readonly ReceiptRequest[], online: boolean | null): { group: ReceiptGroup; count: number }[] {
  const order: ReceiptGroup[] = ['received', 'sending', 'offline', 'pending', 'dependency', 'held'];
  const groups = requests.map((r) => receiptGroup(r, requests, online));
  return order.map((group) => ({ group, count: groups.filter((g) => g === group).length })).filter((g) => g.count > 0);
}

/** Whether the desk is online, as the sync indicator hears it (null until the first answer or when the desk is gone). */
function useOnline(): boolean | null {
  const { client } = useDesk();
  const [online, setOnline] = useState<boolean | null>(null);
  useEffect(() => {
    let alive = true;
    const poll = () => void client.getSyncStatus({}).then((r) => alive && setOnline(r.ok ? r.value.online : null));
    poll();
    const timer = setInterval(poll, 5000);
    const off = client.on('syncProgress', (p) => setOnline(p.online));
    return () => {
      alive = false;
      clearInterval(timer);
      off();
    };
  }, [client]);
  return online;
}

export function ReceiptStatus({ requests, submitted }: { requests: readonly ReceiptRequest[] | null; submitted: number }) {
  const { t } = useTranslation();
  const online = useOnline();
  if (!requests) return <p className="banner ok" role="status">{t('friction.receiptSubmitted', { count: submitted })}</p>;
  return (
    <p className="banner ok" role="status" data-testid="receipt-status">
      {receiptCounts(requests, online)
        .map((g) => t(`receiptStatus.${g.group}`, { count: g.count }))
        .join(' ')}
    </p>
  );
}
