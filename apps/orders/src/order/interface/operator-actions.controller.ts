import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { type Request } from 'express';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import { RefundOrderDto } from '../application/refund-order/refund-order.dto';
import { RefundOrderHandler } from '../application/refund-order/refund-order.handler';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/** What an operator may do to an order from the console; each change goes through the decider. */
@Controller('v1/orders')
export class OperatorActionsController {
  constructor(private readonly refunds: RefundOrderHandler) {}

  /** Refund a paid order whose keys have not reached the buyer: emits order.refund-requested. */
  @Post(':id/refund')
  @HttpCode(202)
  @RequireScope('operate')
  refund(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RefundOrderDto,
    @Req() request: OperatorRequest,
  ) {
    return this.refunds.refund(id, body.reason, request.apiKey?.name ?? 'unknown');
  }
}
