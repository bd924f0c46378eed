import {
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import { DataSource } from 'typeorm';

import { BuyerLinks, RequireScope } from '@keyflow/service-kit';

import { orderEndedAt } from '../domain/order-end';
import { type OrderView } from '../domain/order-view';
import { findOrderView, listOrderViews } from '../infrastructure/order-view.projection';
import { ListOrdersQuery, stuckForSeconds } from './order-query.dto';

/** What a buyer sees: stages and times in plain words; no supplier internals, never card keys. */
function buyerView(view: OrderView) {
  return {
    orderId: view.orderId,
    status: view.status,
    sku: view.sku,
    quantity: view.quantity,
    total: view.total,
    placedAt: view.placedAt,
    expiresAt: view.status === 'awaiting-payment' ? view.expiresAt : undefined,
    paidAt: view.paidAt,
    completedAt: view.completedAt,
    waitingFor: view.currentStage,
    stages: view.stages.map(({ stage, status, startedAt, endedAt }) => ({
      stage,
      status,
      startedAt,
      endedAt,
    })),
  };
}

@Controller('v1/orders')
export class OrdersQueryController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly links: BuyerLinks,
  ) {}

  /** Operator list: filter by status and by how long the order has been waiting (stuck orders first). */
  @Get()
  @RequireScope('read')
  async list(@Query() query: ListOrdersQuery) {
    const { items, total } = await listOrderViews(this.dataSource.manager, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.stuckFor ? { stuckForSeconds: stuckForSeconds(query.stuckFor)! } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...(query.sku ? { sku: query.sku } : {}),
      ...(query.supplier ? { supplier: query.supplier } : {}),
      limit: query.limit,
      offset: query.offset,
    });
    return { total, limit: query.limit, offset: query.offset, items };
  }

  /** Operator: the full stage timeline with durations, who served each stage, retries and the waiting reason. */
  @Get(':id/timeline')
  @RequireScope('read')
  async timeline(@Param('id', new ParseUUIDPipe()) id: string): Promise<OrderView> {
    const view = await findOrderView(this.dataSource.manager, id);
    if (!view) throw new NotFoundException(`order ${id} not found`);
    return view;
  }

  /**
   * Buyer status, with the order's access token from checkout (?token= or X-Order-Token): an unknown order
   * and a wrong token answer alike, the link expires a set time after the order ended (BuyerLinks).
   */
  @Get(':id')
  @Header('Cache-Control', 'no-store')
  async status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('token') queryToken: string | undefined,
    @Headers('x-order-token') headerToken: string | undefined,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const found = await this.links.open(
      request,
      response,
      id,
      queryToken ?? headerToken,
      async () => {
        const view = await findOrderView(this.dataSource.manager, id);
        return view && { view, endedAt: orderEndedAt(view) ?? null };
      },
      { unknownIsInvalid: true },
    );
    return buyerView(found!.view);
  }
}
