import { ALL_TOPICS } from '@keyflow/contracts';
import { type ProbedMessage, TopicProbe } from '@keyflow/testing';

import { emptyMilestones, type OrderMilestones, recordEvent } from './order-milestones';

/**
 * Watches every public topic from the moment it starts and keeps each order's milestones, the way a supplier
 * system or a dashboard would see the pipeline: only through its published events.
 */
export class PipelineObserver {
  readonly orders = new Map<string, OrderMilestones>();
  eventsSeen = 0;
  unreadable = 0;
  private readonly probe = new TopicProbe([...ALL_TOPICS], { keep: false });

  async start(): Promise<this> {
    this.probe.onMessage((message) => this.take(message));
    await this.probe.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.probe.stop();
  }

  of(orderId: string): OrderMilestones | undefined {
    return this.orders.get(orderId);
  }

  private take(message: ProbedMessage): void {
    this.eventsSeen += 1;
    try {
      const envelope = JSON.parse(message.value ?? '') as {
        id: string;
        type: string;
        time: string;
        data?: { orderId?: string } & Record<string, unknown>;
      };
      const orderId = envelope.data?.orderId ?? message.key;
      if (!orderId) return;
      let order = this.orders.get(orderId);
      if (!order) this.orders.set(orderId, (order = emptyMilestones()));
      recordEvent(order, {
        id: envelope.id,
        type: envelope.type,
        time: Date.parse(envelope.time),
        data: envelope.data ?? {},
      });
    } catch {
      this.unreadable += 1;
    }
  }
}
