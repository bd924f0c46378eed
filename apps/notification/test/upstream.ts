import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { pipelineCatalog } from '@keyflow/contracts';
import { testKafkaBrokers } from '@keyflow/testing';

/** Plays delivery, the SLA watch and the alerting side: publishes valid contract envelopes by subject. */
export class Upstream {
  private producer?: Producer;

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'notification-e2e-upstream',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer();
    await this.producer.connect();
    return this;
  }

  /** Publishes one envelope keyed by `subject`; pass `id` to send the very same message again. */
  async publish(
    type: string,
    subject: string,
    data: Record<string, unknown>,
    { id = randomUUID() as string, time = new Date().toISOString() }: { id?: string; time?: string } = {},
  ): Promise<string> {
    const validation = pipelineCatalog.validate(type, data);
    if (!validation.ok) throw new Error(`test bug: ${type} payload invalid: ${validation.errors.join('; ')}`);
    await this.producer!.send({
      topic: pipelineCatalog.topicOf(type),
      messages: [
        {
          key: subject,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type,
            source: 'notification-e2e',
            subject,
            time,
            datacontenttype: 'application/json',
            correlationid: subject,
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
