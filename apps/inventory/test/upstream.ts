import { randomUUID } from 'node:crypto';

import { EventPublisher } from '@keyflow/testing';

/** Plays orders and risk-control: publishes their events as valid contract envelopes, keyed by order id. */
export class Upstream extends EventPublisher {
  constructor() {
    super('inventory-e2e');
  }

  publish(type: string, data: { orderId: string } & Record<string, unknown>, id?: string): Promise<string> {
    return this.publishEvent(type, data.orderId, data, id ? { id } : {});
  }

  approve(orderId: string, id?: string): Promise<string> {
    return this.publish(
      'risk.approved.v1',
      { orderId, assessmentId: randomUUID(), score: 5, mode: 'rules' },
      id,
    );
  }

  cancel(orderId: string): Promise<string> {
    return this.publish('order.cancelled.v1', {
      orderId,
      reason: 'buyer-cancelled',
      cancelledAt: new Date().toISOString(),
    });
  }
}
