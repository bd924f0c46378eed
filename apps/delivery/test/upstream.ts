import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { pipelineCatalog } from '@keyflow/contracts';
import { testKafkaBrokers } from '@keyflow/testing';

/** Plays inventory: publishes stock.committed.v1 as valid contract envelopes, keyed by order id. */
export class Upstream {
  private producer?: Producer;

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'delivery-e2e-upstream',
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
            source: 'delivery-e2e',
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

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }
}
