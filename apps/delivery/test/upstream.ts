import { EventPublisher } from '@keyflow/testing';

/** Plays inventory: publishes stock.committed.v1 as valid contract envelopes, keyed by order id. */
export class Upstream extends EventPublisher {
  constructor() {
    super('delivery-e2e');
  }

  publish(type: string, data: { orderId: string } & Record<string, unknown>, id?: string): Promise<string> {
    return this.publishEvent(type, data.orderId, data, id ? { id } : {});
  }
}
