/** What orders answers the buyer (GET /v1/orders/:id with the order token); only what we use. */
export interface BuyerOrderView {
  orderId: string;
  status: string;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  placedAt: string;
  expiresAt?: string;
  paidAt?: string;
  completedAt?: string;
  waitingFor?: string;
  stages: Array<{ stage: string; status: string; startedAt: string; endedAt?: string }>;
}

export interface BuyerKeysAnswer {
  delivered: boolean;
  deliveredAt?: string;
  keys?: Array<{ keyId: string; code: string }>;
}

export interface Promises {
  /** Usual paid → delivered time the shop promises (SLA tier 1). */
  usualSeconds: number;
  /** By then a person has taken over (SLA tier 3). */
  escalateSeconds: number;
}

export interface BuyerStatus {
  orderId: string;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  headline: string;
  /** Set only while the order is on its way and a time can honestly be promised. */
  expectedBy?: string;
  note: string;
  steps: Array<{ label: string; state: 'done' | 'now' | 'failed' | 'next'; at?: string }>;
  keys?: Array<{ keyId: string; code: string }>;
}

const WORDS: Record<string, { done: string; now: string; failed: string }> = {
  payment: { done: 'Payment received', now: 'Waiting for your payment', failed: 'Payment failed' },
  'stock-reservation': { done: 'Item set aside for you', now: 'Setting your item aside', failed: 'Sold out' },
  risk: { done: 'Security check passed', now: 'Security check', failed: 'Security check failed' },
  'stock-commit': { done: 'Item prepared', now: 'Preparing your item', failed: 'Item could not be prepared' },
  delivery: { done: 'Code issued', now: 'Getting your code', failed: 'Code could not be issued yet' },
  notification: { done: 'Sent to your email', now: 'Sending it to your email', failed: 'Email not sent' },
};
const PENDING = ['paid', 'in-review', 'approved', 'fulfilling'];

/**
 * The buyer's status page in plain words. The "expected by" is the shop's promise (SLA tiers), not a
 * guess: the usual time while it holds, then the time by which a person takes over, then no time at all
 * but the truth — a person is on it. Keys appear only once delivery has them for this order.
 */
export function buyerStatus(
  view: BuyerOrderView,
  keys: BuyerKeysAnswer | undefined,
  now: Date,
  promises: Promises,
): BuyerStatus {
  const steps = view.stages.map(({ stage, status, startedAt, endedAt }) => {
    const words = WORDS[stage] ?? { done: stage, now: stage, failed: stage };
    if (status === 'done') return { label: words.done, state: 'done' as const, at: endedAt };
    if (status === 'failed') return { label: words.failed, state: 'failed' as const, at: endedAt };
    return { label: words.now, state: 'now' as const, at: startedAt };
  });
  const base = { orderId: view.orderId, sku: view.sku, quantity: view.quantity, total: view.total, steps };
  const delivered = keys?.delivered === true && (view.status === 'delivered' || view.status === 'completed');
  if (delivered) {
    return {
      ...base,
      headline: 'Delivered',
      note: 'Your codes are below and in your email. Keep them private.',
      keys: keys!.keys ?? [],
    };
  }
  switch (view.status) {
    case 'awaiting-payment':
      return {
        ...base,
        headline: 'Waiting for your payment',
        note: view.expiresAt ? `Please pay by ${view.expiresAt}; after that the order is cancelled.` : '',
      };
    case 'cancelled':
      return {
        ...base,
        headline: 'Cancelled',
        note: 'This order was cancelled; you were not charged for it.',
      };
    case 'refund-requested':
      return { ...base, headline: 'Refund on its way', note: 'We are refunding this order to how you paid.' };
    case 'escalated':
      return {
        ...base,
        headline: 'A person is handling your order',
        note: 'Something held your order up, so a member of our team is finishing it by hand. You do not need to pay again.',
      };
    case 'delivered':
    case 'completed':
      return { ...base, headline: 'Delivered', note: 'Your codes are in your email.' };
  }
  if (!PENDING.includes(view.status) || !view.paidAt) {
    return { ...base, headline: 'In progress', note: '' };
  }
  const paid = Date.parse(view.paidAt);
  const usual = paid + promises.usualSeconds * 1000;
  const escalate = paid + promises.escalateSeconds * 1000;
  if (now.getTime() < usual) {
    return {
      ...base,
      headline: 'On its way',
      expectedBy: new Date(usual).toISOString(),
      note: `Usually within ${Math.round(promises.usualSeconds / 60)} minutes of payment.`,
    };
  }
  if (now.getTime() < escalate) {
    return {
      ...base,
      headline: 'Taking longer than usual',
      expectedBy: new Date(escalate).toISOString(),
      note: 'It is taking longer than usual. If it is not done by then, a person on our team takes over.',
    };
  }
  return {
    ...base,
    headline: 'Late — a person is on it',
    note: 'Your order is late. Our team has been alerted; you do not need to pay again.',
  };
}
