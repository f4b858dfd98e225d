import { describe, expect, it } from 'vitest';
import type { RequestState } from '../../domain/codes';
import type { Service } from '../../domain/codes';
import { receiptCounts, type ReceiptRequest } from './ReceiptStatus';

const req = (service: Service, state: RequestState, dependsOn: Service[] = [], documentNumber: string | null = null): ReceiptRequest => ({
  service,
  state,
  dependsOn,
  documentNumber,
});

describe('the receipt says what is true per state (issue 12)', () => {
  it('does not say "sent once online" for requests the city already accepted', () => {
    const accepted = ['accepted', 'accepted', 'in_review', 'issued', 'approved'] as const;
    expect(receiptCounts(accepted.map((s) => req('birth_certificate', s)), true)).toEqual([{ group: 'received', count: 5 }]);
    expect(receiptCounts([req('birth_certificate', 'queued'), req('birth_certificate', 'sending'), req('vaccination', 'accepted'), req('birth_certificate', 'held')], false)).toEqual([
      { group: 'received', count: 1 },
      { group: 'offline', count: 2 },
      { group: 'held', count: 1 },
    ]);
  });

  // clerk walk: online, 2 received, 3 waiting for the birth certificate number / household registration — the
  // receipt said "3 项待发送，联网后自动发送" while the header said 已联网.
  const walk = [
    req('birth_certificate', 'accepted'),
    req('vaccination', 'accepted'),
    req('maternity_insurance', 'queued', ['birth_certificate']),
    req('household_registration', 'queued', ['birth_certificate']),
    req('citizen_card', 'queued', ['household_registration']),
  ];

  it('says requests waiting for a dependency wait for it, not for the network', () => {
    const expected = [
      { group: 'received', count: 2 },
      { group: 'dependency', count: 3 },
    ];
    expect(receiptCounts(walk, true)).toEqual(expected);
    // offline too: they wait for the dependency first
    expect(receiptCounts(walk, false)).toEqual(expected);
  });

  it('says "sent once online" only when the desk is offline', () => {
    const ready = [req('birth_certificate', 'queued'), req('household_registration', 'queued', ['birth_certificate'])];
    // The one ready request's group by what the desk knows of the network; the waiting one always waits.
    for (const [online, group] of [[false, 'offline'], [true, 'sending'], [null, 'pending']] as const) {
      expect(receiptCounts(ready, online)).toEqual([
        { group, count: 1 },
        { group: 'dependency', count: 1 },
      ]);
    }
  });

  it('a dependency that has its document number no longer blocks', () => {
    const issued = [req('birth_certificate', 'issued', [], 'BC-1'), req('household_registration', 'queued', ['birth_certificate'])];
    expect(receiptCounts(issued, true)).toEqual([
      { group: 'received', count: 1 },
      { group: 'sending', count: 1 },
    ]);
  });
});
