import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { type Request } from 'express';
import { DataSource } from 'typeorm';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import { DeliveryStatusQuery } from '../application/delivery-status.query';
import { RedeliverHandler } from '../application/redeliver.handler';
import { answering } from './http-errors';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/** Operators: an order's delivery (never its keys) and manual re-delivery. */
@Controller('v1')
export class DeliveriesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly status: DeliveryStatusQuery,
    private readonly redeliver: RedeliverHandler,
  ) {}

  @Get('deliveries/:orderId')
  @RequireScope('read')
  get(@Param('orderId', ParseUUIDPipe) orderId: string) {
    return answering(() => this.status.get(this.dataSource.manager, orderId));
  }

  @Post('deliveries/:orderId/redeliver')
  @RequireScope('operate')
  @HttpCode(202)
  redeliverOrder(@Param('orderId', ParseUUIDPipe) orderId: string, @Req() request: OperatorRequest) {
    const operator = request.apiKey?.name ?? 'unknown';
    return answering(() =>
      this.dataSource.transaction((manager) => this.redeliver.handle(manager, orderId, operator)),
    );
  }
}
