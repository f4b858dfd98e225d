import { describe, expect, it } from 'vitest';
import { receiptCounts } from './ReceiptStatus';

describe('the receipt says what is true per state (issue 12)', () => {
  it('does not say "sent once online" for requests the city already accepted', () => {
    expect(receiptCounts(['accepted', 'accepted', 'in_review', 'issued', 'approved'])).toEqual([{ group: 'received', count: 5 }]);
    expect(receiptCounts(['queued', 'sending', 'accepted', 'held'])).toEqual([
      { group: 'received', count: 1 },
      { group: 'waiting', count: 2 },
      { group: 'held', count: 1 },
    ]);
  });
});
