import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderRefundRequestedV1 } from '@keyflow/contracts';
import { captureTraceContext } from '@keyflow/messaging';

import { PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';
import { RefundRepository } from '../../infrastructure/refund.repository';

/** The provider refunds at most once per key; one key per order makes every retry the same refund. */
export function refundIdempotencyKeyOf(orderId: string): string {
  return `refund-${orderId}`;
}

/**
 * Records a refund job for a paid order in the consumer's transaction; the refund worker calls the
 * provider. A request for an unpaid order or for more than was paid is recorded as refused, not retried.
 */
@Injectable()
export class RequestRefundHandler {
  private readonly logger = new Logger('RequestRefund');

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly refunds: RefundRepository,
  ) {}

  async handle(manager: EntityManager, request: OrderRefundRequestedV1): Promise<void> {
    const intent = await this.intents.find(request.orderId, manager);
    if (!intent) {
      this.logger.warn(`refund requested for order ${request.orderId}, which has no payment intent: ignored`);
      return;
    }
    const refusal =
      intent.status !== 'paid'
        ? `REFUND.NOT_PAID: the payment is ${intent.status}`
        : request.amount.currency !== intent.expected.currency ||
            request.amount.amountMinor > intent.expected.amountMinor
          ? `REFUND.AMOUNT_EXCEEDS_PAYMENT: ${request.amount.amountMinor} ${request.amount.currency} requested`
          : undefined;
    if (refusal) this.logger.warn(`refund for order ${request.orderId} refused: ${refusal}`);
    await this.refunds.insert(
      manager,
      {
        orderId: intent.orderId,
        paymentId: intent.paymentId,
        provider: intent.provider,
        amount: request.amount,
        reason: request.reason,
        idempotencyKey: refundIdempotencyKeyOf(intent.orderId),
        traceContext: captureTraceContext(),
      },
      refusal ? 'refused' : 'pending',
      refusal,
    );
  }
}
