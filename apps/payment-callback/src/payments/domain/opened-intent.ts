import { type Amount, sameAmount } from './money';
import { type PaymentIntentState } from './payment-intent';
import { type ProviderKind } from './provider-kind';

/** What OrderPlaced says the payment is, when the pay URL opened the intent first. */
export interface PlacedPayment {
  provider: ProviderKind;
  amount: Amount;
}

export type OpenedIntentVerdict =
  /** The intent matches the order (the normal case): OrderPlaced changes nothing. */
  | { kind: 'agrees' }
  /** It does not, and nothing was paid yet: the intent is rejected with this reason. */
  | { kind: 'reject'; reason: string }
  /** It does not, and was already paid: money taken for other facts than the order's, for a person. */
  | { kind: 'paid-but-disagrees'; reason: string }
  /** Already rejected or expired: the intent's own end stands. */
  | { kind: 'closed' };

/**
 * OrderPlaced arrives for an order whose intent the buyer's pay URL already opened: both carry facts orders
 * wrote, so they must agree. Pure: the intent's state and the placed payment come in.
 */
export function checkOpenedIntent(intent: PaymentIntentState, placed: PlacedPayment): OpenedIntentVerdict {
  const differences = [
    intent.provider !== placed.provider ? `provider ${intent.provider} vs ${placed.provider}` : undefined,
    !sameAmount(intent.expected, placed.amount)
      ? `amount ${describe(intent.expected)} vs ${describe(placed.amount)}`
      : undefined,
  ].filter(Boolean);
  if (differences.length === 0) return { kind: 'agrees' };
  const reason = `PAYMENT.PAY_LINK_MISMATCH: the pay link opened the payment with other facts than the order (${differences.join(', ')})`;
  switch (intent.status) {
    case 'pending-creation':
    case 'awaiting-payment':
      return { kind: 'reject', reason };
    case 'paid':
      return { kind: 'paid-but-disagrees', reason };
    case 'rejected':
    case 'expired':
      return { kind: 'closed' };
    default: {
      const _exhaustive: never = intent.status;
      return _exhaustive;
    }
  }
}

const describe = (amount: Amount) => `${amount.amountMinor} ${amount.currency}`;
