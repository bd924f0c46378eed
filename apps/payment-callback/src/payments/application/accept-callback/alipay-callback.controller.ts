import { Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { CallbackVerificationError } from '../../domain/signatures/callback-verification.errors';
import { verifyAlipayNotification } from '../../domain/signatures/alipay-notification';
import { AcceptCallbackHandler } from './accept-callback.handler';
import { type CallbackHttpRequest, receivedCallback } from './callback-request';

/** Alipay's asynchronous notification: answered with exactly `success` after commit, `failure` otherwise. */
@Controller('v1/callbacks')
@UseGuards(ThrottlerGuard)
@SkipThrottle({ default: true })
export class AlipayCallbackController {
  constructor(
    private readonly handler: AcceptCallbackHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  @Post('alipay')
  @HttpCode(200)
  async notify(@Req() req: CallbackHttpRequest, @Res() res: Response): Promise<void> {
    const callback = receivedCallback('alipay', req);
    const keys = this.config.alipay;
    const result = await this.handler.accept(callback, () => {
      if (!keys) throw new CallbackVerificationError('CALLBACK.WRONG_MERCHANT', 'alipay is not configured');
      return verifyAlipayNotification(callback.body, keys);
    });
    res
      .status(result.ack ? 200 : result.status)
      .type('text/plain')
      .send(result.ack ? 'success' : 'failure');
  }
}
