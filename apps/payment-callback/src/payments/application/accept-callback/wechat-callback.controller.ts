import { Controller, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { CallbackVerificationError } from '../../domain/signatures/callback-verification.errors';
import { verifyWechatNotification } from '../../domain/signatures/wechat-notification';
import { AcceptCallbackHandler } from './accept-callback.handler';
import { type CallbackHttpRequest, receivedCallback } from './callback-request';

/** WeChat Pay v3 notification: 204 after commit; 4xx with {code: 'FAIL', message} otherwise. */
@Controller('v1/callbacks')
@UseGuards(ThrottlerGuard)
@SkipThrottle({ default: true })
export class WechatCallbackController {
  constructor(
    private readonly handler: AcceptCallbackHandler,
    @Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig,
  ) {}

  @Post('wechat')
  async notify(@Req() req: CallbackHttpRequest, @Res() res: Response): Promise<void> {
    const callback = receivedCallback('wechat', req);
    const wechat = this.config.wechat;
    const h = callback.headers;
    const result = await this.handler.accept(callback, () => {
      if (!wechat) throw new CallbackVerificationError('CALLBACK.WRONG_MERCHANT', 'wechat is not configured');
      return verifyWechatNotification(
        {
          timestamp: h['wechatpay-timestamp'],
          nonce: h['wechatpay-nonce'],
          signature: h['wechatpay-signature'],
          serial: h['wechatpay-serial'],
        },
        callback.body,
        {
          platformPublicKey: wechat.platformPublicKey,
          apiV3Key: wechat.apiV3Key.reveal(),
          ...(wechat.platformSerial ? { platformSerial: wechat.platformSerial } : {}),
          ...(wechat.mchId ? { mchId: wechat.mchId } : {}),
          ...(wechat.appId ? { appId: wechat.appId } : {}),
        },
        new Date(),
      );
    });
    if (result.ack) res.status(204).end();
    else res.status(result.status).json({ code: 'FAIL', message: result.reason ?? 'rejected' });
  }
}
