import { EventPublisher } from '@keyflow/testing';

/** Plays the other services: publishes their stage events, as valid contract envelopes, keyed by order id. */
export class Upstream extends EventPublisher {
  constructor() {
    super('orders-e2e');
  }

  publish(type: string, orderId: string, data: Record<string, unknown>, time?: string): Promise<string> {
    return this.publishEvent(type, orderId, { orderId, ...data }, time ? { time } : {});
  }
}
