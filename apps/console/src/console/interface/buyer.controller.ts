import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpException,
  Inject,
  Param,
  ParseUUIDPipe,
  Headers,
  Ip,
  Res,
  UseGuards,
} from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { CONSOLE_CONFIG, type ConsoleConfig } from '../../console.config';
import { type BuyerKeysAnswer, type BuyerOrderView, buyerStatus } from '../domain/buyer-status';
import { UpstreamClient } from '../infrastructure/upstream-client';

/**
 * The buyer's status page data: orders' view of the order and, once delivered, delivery's keys — both
 * asked with the buyer's own order token, which each service checks. The console adds words, not rights.
 */
@Controller('api/buyer/orders')
@UseGuards(ThrottlerGuard)
export class BuyerController {
  constructor(
    private readonly upstream: UpstreamClient,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get(':id')
  @Header('cache-control', 'no-store')
  @Throttle({ default: { limit: 60, ttl: 60_000 } })
  async status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('x-order-token') token: string | undefined,
    @Ip() clientAddress: string,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (!token) throw new ForbiddenException('open the status link from your checkout or email');
    const headers = { 'x-order-token': token, accept: 'application/json' };
    const order = await this.upstream.call('orders', `v1/orders/${id}`, {
      method: 'GET',
      headers,
      clientAddress,
    });
    if (order.status !== 200) {
      // orders' answer as it is: the same for an unknown order and a wrong token, 410 once expired.
      const retryAfter = order.retryAfter;
      if (retryAfter) response.setHeader('Retry-After', retryAfter);
      throw new HttpException(parsed(order.body) ?? 'orders did not answer', order.status);
    }
    const view = parsed(order.body) as BuyerOrderView;
    let keys: BuyerKeysAnswer | undefined;
    if (view.status === 'delivered' || view.status === 'completed') {
      const answer = await this.upstream.call('delivery', `v1/deliveries/${id}/keys`, {
        method: 'GET',
        headers,
        clientAddress,
      });
      if (answer.status === 200) keys = parsed(answer.body) as BuyerKeysAnswer;
    }
    return {
      ...buyerStatus(view, keys, new Date(), this.config.promises),
      shop: { name: this.config.shopName, contact: this.config.shopContact },
    };
  }
}

function parsed(body: Buffer): object | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as object;
  } catch {
    return undefined;
  }
}
