import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { lockOrder } from '../../infrastructure/order-lock';
import { OrderFactsRepository } from '../../infrastructure/order-facts.repository';
import {
  type ConfirmedPayment,
  ParkedPaymentRepository,
} from '../../infrastructure/parked-payment.repository';
import { AssessOrder } from './assess-order';

/**
 * A confirmed payment is assessed when its order's facts are known; otherwise (payments.v1 overtook
 * orders.v1) it is parked durably and assessed by the OrderPlaced handler when the facts arrive.
 */
@Injectable()
export class AssessPaymentHandler {
  private readonly logger = new Logger('AssessPayment');

  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly parked: ParkedPaymentRepository,
    private readonly assessOrder: AssessOrder,
  ) {}

  async handle(manager: EntityManager, payment: ConfirmedPayment): Promise<'assessed' | 'parked'> {
    await lockOrder(manager, payment.orderId);
    const order = await this.facts.find(manager, payment.orderId);
    if (!order) {
      await this.parked.park(manager, payment);
      this.logger.log(
        `order ${payment.orderId}: paid before its facts arrived; parked until order.placed.v1`,
      );
      return 'parked';
    }
    await this.assessOrder.assess(manager, order, payment);
    return 'assessed';
  }
}
