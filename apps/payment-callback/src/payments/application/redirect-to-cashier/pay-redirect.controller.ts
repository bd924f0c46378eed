import { Controller, Get, Param, ParseUUIDPipe, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { PaymentIntentRepository } from '../../infrastructure/payment-intent.repository';

const RETRY_AFTER_SECONDS = 2;

/**
 * The pay URL orders hands out at checkout (`${PAYMENT_PUBLIC_URL}/v1/pay/<orderId>`): sends the buyer
 * to the provider's cashier once the payment exists there, and says clearly why not otherwise.
 */
@Controller('v1/pay')
@UseGuards(ThrottlerGuard)
@SkipThrottle({ callbacks: true })
export class PayRedirectController {
  constructor(private readonly intents: PaymentIntentRepository) {}

  @Get(':orderId')
  async pay(@Param('orderId', new ParseUUIDPipe()) orderId: string, @Res() res: Response): Promise<void> {
    const intent = await this.intents.find(orderId);
    if (!intent) {
      res.status(404).json({ code: 'PAYMENT.UNKNOWN_ORDER', message: 'no payment for this order' });
      return;
    }
    const expired = intent.status === 'expired' || Date.parse(intent.expiresAt) <= Date.now();
    if (intent.status === 'paid') {
      res.status(409).json({ code: 'PAYMENT.ALREADY_PAID', message: 'this order is already paid' });
    } else if (intent.status === 'rejected') {
      res
        .status(409)
        .json({ code: 'PAYMENT.REJECTED', message: intent.rejectionReason ?? 'the payment was rejected' });
    } else if (expired) {
      res
        .status(410)
        .json({ code: 'PAYMENT.EXPIRED', message: `the payment window closed at ${intent.expiresAt}` });
    } else if (intent.status === 'awaiting-payment' && intent.cashierUrl) {
      res.redirect(302, intent.cashierUrl);
    } else {
      res.status(409).setHeader('Retry-After', String(RETRY_AFTER_SECONDS)).json({
        code: 'PAYMENT.BEING_CREATED',
        message: 'the payment is being created at the provider; retry shortly',
      });
    }
  }
}
