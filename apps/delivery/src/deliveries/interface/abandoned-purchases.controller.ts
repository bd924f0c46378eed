import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { type Request } from 'express';
import { DataSource } from 'typeorm';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import {
  AbandonedPurchasesQuery,
  ReconcilePurchaseDto,
} from '../application/reconcile-purchase/reconcile-purchase.dto';
import { ReconcilePurchaseHandler } from '../application/reconcile-purchase/reconcile-purchase.handler';
import { AbandonedPurchaseRepository } from '../infrastructure/abandoned-purchase.repository';
import { answering } from './http-errors';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/**
 * Purchases delivery gave up on after a supplier never said whether it sold (the buyer was served by a
 * backup): listed for operators (`read`), marked reconciled once with what the supplier said (`operate`).
 */
@Controller('v1/abandoned-purchases')
export class AbandonedPurchasesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly purchases: AbandonedPurchaseRepository,
    private readonly reconcileHandler: ReconcilePurchaseHandler,
  ) {}

  @Get()
  @RequireScope('read')
  async list(@Query() query: AbandonedPurchasesQuery) {
    const items = await this.purchases.list(this.dataSource.manager, query.state, query.limit, query.offset);
    return { state: query.state, limit: query.limit, offset: query.offset, items };
  }

  @Post(':orderId/:supplierId/reconcile')
  @HttpCode(200)
  @RequireScope('operate')
  reconcile(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Param('supplierId') supplierId: string,
    @Body() body: ReconcilePurchaseDto,
    @Req() request: OperatorRequest,
  ) {
    return answering(() =>
      this.reconcileHandler.handle(
        { orderId, supplierId },
        { outcome: body.outcome, note: body.note, reconciledBy: request.apiKey?.name ?? 'unknown' },
      ),
    );
  }
}
