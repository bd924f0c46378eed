import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  Headers,
  Param,
  ParseUUIDPipe,
  UseGuards,
} from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

import { OrderAccessTokens } from '@keyflow/service-kit';

import { BuyerKeysQuery } from '../application/buyer-keys.query';
import { PerOrderThrottlerGuard } from './per-order-throttler.guard';

/**
 * Buyers: their delivered keys on the status page, with the order's access token from checkout in the
 * X-Order-Token header (a header, never the query string, so no proxy or access log records it).
 */
@Controller('v1/deliveries')
@UseGuards(PerOrderThrottlerGuard)
export class BuyerKeysController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: OrderAccessTokens,
    private readonly keys: BuyerKeysQuery,
  ) {}

  @Get(':orderId/keys')
  @Header('Cache-Control', 'no-store')
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  get(@Param('orderId', ParseUUIDPipe) orderId: string, @Headers('x-order-token') token: string | undefined) {
    if (!this.tokens.verify(orderId, token)) {
      throw new ForbiddenException('the order access token from checkout is required (X-Order-Token header)');
    }
    return this.keys.get(this.dataSource.manager, orderId);
  }
}
