import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderPlacedV1 } from '@keyflow/contracts';

import { normaliseEmail, type OrderFacts } from '../../domain/order-facts';
import { lockOrder } from '../../infrastructure/order-lock';
import { OrderFactsRepository } from '../../infrastructure/order-facts.repository';
import { ParkedPaymentRepository } from '../../infrastructure/parked-payment.repository';
import { AssessOrder } from '../assess-payment/assess-order';

/**
 * Client details are not in order.placed.v1 yet. A producer may add them within the version as
 * `client: { ip, deviceId }` (extra fields pass validation); the rules use them when they are there.
 */
type OrderPlacedWithClient = OrderPlacedV1 & { client?: { ip?: unknown; deviceId?: unknown } };

/** Records an order's facts; a payment parked for this order is assessed now, in the same transaction. */
@Injectable()
export class RecordOrderFactsHandler {
  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly parked: ParkedPaymentRepository,
    private readonly assessOrder: AssessOrder,
  ) {}

  async handle(manager: EntityManager, placed: OrderPlacedWithClient): Promise<void> {
    const order = toFacts(placed);
    await lockOrder(manager, order.orderId);
    await this.facts.record(manager, order);
    const payment = await this.parked.take(manager, order.orderId);
    if (payment) {
      // Read back what is stored: a replayed OrderPlaced must not assess with different facts.
      await this.assessOrder.assess(manager, (await this.facts.find(manager, order.orderId))!, payment);
    }
  }
}

function toFacts(placed: OrderPlacedWithClient): OrderFacts {
  const ip = shortString(placed.client?.ip);
  const device = shortString(placed.client?.deviceId);
  return {
    orderId: placed.orderId,
    email: normaliseEmail(placed.buyer.email),
    paymentChannel: placed.paymentChannel.toLowerCase(),
    amountMinor: placed.total.amountMinor,
    currency: placed.total.currency,
    sku: placed.sku,
    quantity: placed.quantity,
    placedAt: placed.placedAt,
    ...(ip ? { clientIp: ip } : {}),
    ...(device ? { deviceId: device } : {}),
  };
}

/** Unvalidated optional input: kept only when it is a plausible identifier. */
function shortString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= 128
    ? value.trim()
    : undefined;
}
