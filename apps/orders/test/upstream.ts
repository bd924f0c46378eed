import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { pipelineCatalog } from '@keyflow/contracts';
import { testKafkaBrokers } from '@keyflow/testing';

/** Plays the other services: publishes their stage events, as valid contract envelopes, keyed by order id. */
export class Upstream {
  private producer?: Producer;

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'orders-e2e-upstream',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer();
    await this.producer.connect();
    return this;
  }

  async publish(
    type: string,
    orderId: string,
    data: Record<string, unknown>,
    time = new Date().toISOString(),
  ): Promise<string> {
    const id = randomUUID();
    const validation = pipelineCatalog.validate(type, { orderId, ...data });
    if (!validation.ok) throw new Error(`test bug: ${type} payload invalid: ${validation.errors.join('; ')}`);
    await this.producer!.send({
      topic: pipelineCatalog.topicOf(type),
      messages: [
        {
          key: orderId,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type,
            source: 'orders-e2e',
            subject: orderId,
            time,
            datacontenttype: 'application/json',
            correlationid: orderId,
            data: { orderId, ...data },
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
