import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { type DataSource } from 'typeorm';

import {
  consumerGroupFor,
  deadLetterTopicFor,
  type EventCatalog,
  type EventEnvelope,
} from '@keyflow/contracts';

import { ConsumerLagReporter } from '../kafka/consumer-lag.reporter';
import { createKafkaClient } from '../kafka/kafka-client';
import { KafkaProducer } from '../kafka/kafka-producer';
import { type KafkaSettings } from '../kafka/kafka-settings';
import { ensureTopics } from '../kafka/topic-provisioner';
import { type KafkaEventContext } from './kafka-event-context';
import { type EventHandlerFn, TopicConsumer } from './topic-consumer';

export interface KafkaEventTransportOptions {
  /** The consuming service; consumer groups are `<service>.<topic>`. */
  service: string;
  /** The service's Postgres schema, holding its inbox. */
  schema: string;
  kafka: KafkaSettings;
  catalog: EventCatalog;
  /** Resolved lazily: the transport is created before the Nest app that owns the DataSource. */
  dataSource: () => DataSource;
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * A Nest microservice transport for the pipeline's Kafka topics. Handlers are declared with
 * `@EventPattern('<event type>')`; the transport looks up each type's topic in the contracts catalog and
 * runs one consumer per topic (the stock Nest Kafka transport shares one consumer across topics, stalls a
 * partition on a thrown error and has no dead-letter path). Each handler runs inside a transaction that
 * also records the event in the inbox (shared by a batch of messages); see TopicConsumer for the
 * delivery guarantees.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private readonly consumers: TopicConsumer[] = [];
  private producer?: KafkaProducer;
  private lagReporter?: ConsumerLagReporter;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.startConsumers();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.lagReporter?.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    this.consumers.length = 0;
    await this.producer?.disconnect();
    this.producer = undefined;
  }

  on(): never {
    throw new Error('KafkaEventTransport does not expose client events');
  }

  unwrap<T>(): T {
    return this.consumers as T;
  }

  /** Event types handled by this service, grouped by the topic they arrive on. */
  subscriptions(): Map<string, Map<string, EventHandlerFn>> {
    const byTopic = new Map<string, Map<string, EventHandlerFn>>();
    for (const [pattern, handler] of this.messageHandlers) {
      const definition = this.options.catalog.find(pattern);
      if (!definition) {
        throw new Error(`@EventPattern('${pattern}') names no event type declared in libs/contracts`);
      }
      const handlers = byTopic.get(definition.topic) ?? new Map<string, EventHandlerFn>();
      handlers.set(pattern, async (envelope: EventEnvelope<object>, ctx: KafkaEventContext) => {
        const result = await handler(envelope, ctx);
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
      byTopic.set(definition.topic, handlers);
    }
    return byTopic;
  }

  private async startConsumers(): Promise<void> {
    const { service, kafka: settings } = this.options;
    const subscriptions = this.subscriptions();
    if (subscriptions.size === 0) return;
    const kafka = createKafkaClient(settings);
    const groups = [...subscriptions.keys()].map((topic) => ({
      topic,
      group: consumerGroupFor(service, topic),
    }));
    await ensureTopics(
      kafka,
      groups.flatMap(({ topic, group }) => [
        { topic, numPartitions: settings.topicPartitions, replicationFactor: settings.replicationFactor },
        { topic: deadLetterTopicFor(group), numPartitions: 1, replicationFactor: settings.replicationFactor },
      ]),
    );
    this.producer = new KafkaProducer(kafka);
    await this.producer.connect();
    for (const { topic, group } of groups) {
      const consumer = new TopicConsumer({
        kafka,
        sessionTimeoutMs: settings.consumerSessionTimeoutMs,
        topic,
        groupId: group,
        deadLetterTopic: deadLetterTopicFor(group),
        schema: this.options.schema,
        dataSource: this.options.dataSource(),
        catalog: this.options.catalog,
        handlers: subscriptions.get(topic)!,
        producer: this.producer,
        maxAttempts: this.options.maxAttempts ?? 5,
        retryBaseMs: this.options.retryBaseMs ?? 100,
        retryMaxMs: this.options.retryMaxMs ?? 5000,
        maxMessagesPerTransaction: settings.consumerMessagesPerTransaction,
      });
      this.consumers.push(consumer);
    }
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
    this.lagReporter = new ConsumerLagReporter(kafka, groups);
    this.lagReporter.start();
  }
}
