import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { CLOUDEVENTS_JSON, KafkaHeaders, pipelineCatalog } from '@keyflow/contracts';

import { testKafkaBrokers } from './test-infrastructure';

/**
 * Plays an upstream service in a test: publishes its events as valid contract envelopes (validated first,
 * so a test cannot send what no real service would), on the event's topic, keyed by the subject.
 */
export class EventPublisher {
  private producer?: Producer;

  constructor(private readonly source: string) {}

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: `${this.source}-upstream`,
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer();
    await this.producer.connect();
    return this;
  }

  /**
   * Returns the envelope id; pass `id` to send the very same message again (a redelivery). `legacy` writes
   * the record as services did before structured mode (ce_* headers, no content-type), as still on topics.
   */
  async publishEvent(
    type: string,
    subject: string,
    data: Record<string, unknown>,
    {
      id = randomUUID() as string,
      time = new Date().toISOString(),
      legacy = false,
    }: { id?: string; time?: string; legacy?: boolean } = {},
  ): Promise<string> {
    const validation = pipelineCatalog.validate(type, data);
    if (!validation.ok) throw new Error(`test bug: ${type} payload invalid: ${validation.errors.join('; ')}`);
    await this.producer!.send({
      topic: pipelineCatalog.topicOf(type),
      messages: [
        {
          key: subject,
          headers: {
            ...(legacy ? {} : { [KafkaHeaders.contentType]: CLOUDEVENTS_JSON }),
            [KafkaHeaders.eventId]: id,
            [KafkaHeaders.eventType]: type,
            [KafkaHeaders.eventSource]: this.source,
          },
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type,
            source: this.source,
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
