import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';

import { type EventEnvelope, type PaymentConfirmedV1 } from '@keyflow/contracts';
import { type KafkaEventContext } from '@keyflow/messaging';

import { AssessPaymentHandler } from './assess-payment.handler';

@Controller()
export class PaymentConfirmedConsumer {
  constructor(private readonly handler: AssessPaymentHandler) {}

  /** Decision latency is measured from the envelope time: when payment-callback confirmed the payment. */
  @EventPattern('payment.confirmed.v1')
  async onPaymentConfirmed(
    @Payload() event: EventEnvelope<PaymentConfirmedV1>,
    @Ctx() ctx: KafkaEventContext,
  ): Promise<void> {
    await this.handler.handle(ctx.manager, {
      orderId: event.data.orderId,
      paymentId: event.data.paymentId,
      confirmedAt: event.time,
    });
  }
}
