import { Controller, Get, Header, Headers, Param, ParseUUIDPipe, Req, Res, UseGuards } from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { type Request, type Response } from 'express';
import { DataSource } from 'typeorm';

import { BuyerLinks } from '@keyflow/service-kit';

import { BuyerKeysQuery } from '../application/buyer-keys.query';

/**
 * Buyers: their delivered keys on the status page, with the order's access token from checkout in the
 * X-Order-Token header (a header, never the query string, so no proxy or access log records it). Wrong
 * tokens are limited per client address (BuyerLinks), so guesses at an order never lock its buyer out; the
 * link expires a set time after delivery. Before delivery a valid token gets `delivered: false`, and a
 * wrong one the same 404 as everywhere.
 */
@Controller('v1/deliveries')
@UseGuards(ThrottlerGuard)
export class BuyerKeysController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: BuyerLinks,
    private readonly keys: BuyerKeysQuery,
  ) {}

  @Get(':orderId/keys')
  @Header('Cache-Control', 'no-store')
  @Throttle({ default: { limit: 120, ttl: 60_000 } })
  async get(
    @Param('orderId', ParseUUIDPipe) orderId: string,
    @Headers('x-order-token') token: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const manager = this.dataSource.manager;
    await this.links.open(
      request,
      response,
      orderId,
      token,
      async () => ({ endedAt: await this.keys.deliveredAt(manager, orderId) }),
      { unknownIsInvalid: false },
    );
    return this.keys.get(manager, orderId);
  }
}
