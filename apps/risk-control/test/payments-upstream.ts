import { randomUUID } from 'node:crypto';

import { EventPublisher } from '@keyflow/testing';

/** Plays payment-callback: publishes payment.confirmed.v1 as a valid contract envelope keyed by order id. */
export class PaymentsUpstream extends EventPublisher {
  constructor() {
    super('risk-e2e');
  }

  /** Returns the envelope id; pass `id` to send the very same message again (a redelivery). */
  paymentConfirmed(
    orderId: string,
    amountMinor: number,
    { id = randomUUID() as string, time = new Date().toISOString() } = {},
  ): Promise<string> {
    return this.publishEvent(
      'payment.confirmed.v1',
      orderId,
      {
        orderId,
        paymentId: `pay-${orderId.slice(0, 8)}`,
        provider: 'sandbox',
        providerTradeNo: `trade-${orderId}`,
        amount: { amountMinor, currency: 'CNY' },
        paidAt: time,
        confirmedBy: 'callback',
      },
      { id, time },
    );
  }
}
