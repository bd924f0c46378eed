import { Controller, Get, Param, ParseUUIDPipe, Query, Res, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { PAY_LINK_PARAM } from '@keyflow/contracts';

import { PayHandler } from './pay.handler';

/** A browser retries 503 after this long; the provider call in flight usually takes well under it. */
const RETRY_AFTER_SECONDS = 1;

/**
 * The pay URL orders hands out at checkout (`${PAYMENT_PUBLIC_URL}/v1/pay/<orderId>?t=<signed pay link>`):
 * 302 to the provider's cashier, 503 + Retry-After while it cannot say yet, or a 4xx with a stable code.
 */
@Controller('v1/pay')
@UseGuards(ThrottlerGuard)
@SkipThrottle({ callbacks: true })
export class PayRedirectController {
  constructor(private readonly handler: PayHandler) {}

  @Get(':orderId')
  async pay(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Query(PAY_LINK_PARAM) token: unknown,
    @Res() res: Response,
  ): Promise<void> {
    // `?t=a&t=b` arrives as an array: not a token orders made, so it fails verification like any other.
    const answer = await this.handler.pay(orderId, token === undefined ? undefined : String(token));
    switch (answer.kind) {
      case 'cashier':
        res.redirect(302, answer.url);
        return;
      case 'retry-later':
        res
          .status(503)
          .setHeader('Retry-After', String(answer.retryAfterSeconds ?? RETRY_AFTER_SECONDS))
          .json({ code: answer.code, message: answer.message });
        return;
      case 'refused':
        res.status(answer.status).json({ code: answer.code, message: answer.message });
        return;
      default: {
        const _exhaustive: never = answer;
        return _exhaustive;
      }
    }
  }
}
