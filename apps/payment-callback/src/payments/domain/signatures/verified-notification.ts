import { type Amount } from '../money';
import { type ProviderKind } from '../provider-kind';

/** A provider notification whose signature checked out, in one shape for every provider. */
export type VerifiedNotification = PaidNotification | OtherNotification;

export interface PaidNotification {
  kind: 'paid';
  provider: ProviderKind;
  /** The order id as the provider echoed it back (out_trade_no or metadata); not yet known to exist. */
  orderRef: string;
  providerTradeNo: string;
  amount: Amount;
  /** When the provider says the buyer paid (ISO); absent when the provider does not say. */
  paidAt?: string;
}

/** A genuine notification that is not a successful payment (waiting, closed, another event type). */
export interface OtherNotification {
  kind: 'other';
  provider: ProviderKind;
  orderRef?: string;
  status: string;
}
