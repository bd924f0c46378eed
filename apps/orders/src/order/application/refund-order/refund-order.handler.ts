import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { OrderNotFoundError } from '../../domain/order.errors';
import { ExecuteOrderCommand } from '../execute-order-command';

/**
 * An operator's refund: goes through the decider like every other change, so the public
 * order.refund-requested event reaches payment-callback through the outbox, exactly once.
 */
@Injectable()
export class RefundOrderHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly execute: ExecuteOrderCommand,
  ) {}

  async refund(orderId: string, reason: string, operator: string) {
    const outcome = await this.dataSource.transaction((manager) =>
      this.execute.execute(manager, orderId, {
        type: 'RefundByOperator',
        data: { reason, operator, now: new Date().toISOString() },
      }),
    );
    if ('refused' in outcome) {
      if (outcome.refused instanceof OrderNotFoundError)
        throw new NotFoundException(`order ${orderId} not found`);
      throw new ConflictException({
        statusCode: 409,
        code: outcome.refused.code,
        message: outcome.refused.message,
      });
    }
    if ('parked' in outcome) throw new ConflictException(outcome.parked.message); // never for people's commands
    return { orderId, refundRequested: true, alreadyRequested: outcome.applied.length === 0 };
  }
}
