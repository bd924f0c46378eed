import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { pipelineCatalog } from '@keyflow/contracts';
import { testKafkaBrokers } from '@keyflow/testing';

/** Plays orders and risk-control: publishes their events as valid contract envelopes, keyed by order id. */
export class Upstream {
  private producer?: Producer;

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'inventory-e2e-upstream',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer();
    await this.producer.connect();
    return this;
  }

  /** Publishes one envelope; pass `id` to send the very same message again (a redelivery). */
  async publish(
    type: string,
    data: { orderId: string } & Record<string, unknown>,
    id: string = randomUUID(),
  ): Promise<string> {
    const validation = pipelineCatalog.validate(type, data);
    if (!validation.ok) throw new Error(`test bug: ${type} payload invalid: ${validation.errors.join('; ')}`);
    await this.producer!.send({
      topic: pipelineCatalog.topicOf(type),
      messages: [
        {
          key: data.orderId,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type,
            source: 'inventory-e2e',
            subject: data.orderId,
            time: new Date().toISOString(),
            datacontenttype: 'application/json',
            correlationid: data.orderId,
            data,
          }),
        },
      ],
    });
    return id;
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

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }
}
