import { Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { CallbackVerificationError } from '../../domain/signatures/callback-verification.errors';
import { verifyStripeEvent } from '../../domain/signatures/stripe-event';
import { AcceptCallbackHandler } from './accept-callback.handler';
import { type CallbackHttpRequest, receivedCallback } from './callback-request';

/** Stripe webhook: 200 {received: true} after commit; 4xx {error: {code, message}} otherwise. */
@Controller('v1/callbacks')
@UseGuards(ThrottlerGuard)
@SkipThrottle({ default: true })
export class StripeCallbackController {
  constructor(
    private readonly handler: AcceptCallbackHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  @Post('stripe')
  async notify(@Req() req: CallbackHttpRequest, @Res() res: Response): Promise<void> {
    const callback = receivedCallback('stripe', req);
    const stripe = this.config.stripe;
    const result = await this.handler.accept(callback, () => {
      if (!stripe) throw new CallbackVerificationError('CALLBACK.WRONG_MERCHANT', 'stripe is not configured');
      return verifyStripeEvent(
        callback.headers['stripe-signature'],
        callback.body,
        stripe.webhookSecret.reveal(),
        new Date(),
      );
    });
    if (result.ack) res.status(200).json({ received: true });
    else res.status(result.status).json({ error: { code: result.code, message: result.reason } });
  }
}
