import { Logger } from '@nestjs/common';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { type Consumer, type EachBatchPayload, type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { type DataSource } from 'typeorm';

import { type EventCatalog, type EventEnvelope, KafkaHeaders } from '@keyflow/contracts';
import {
  deadLettered,
  kafkaHandlerDuration,
  kafkaHandlerFailures,
  kafkaMessages,
  SpanAttributes,
} from '@keyflow/observability';

import { crashPoint } from '../fault-injection';
import { recordInInbox } from '../inbox/inbox';
import { type KafkaProducer } from '../kafka/kafka-producer';
import { runWithCausingEvent } from '../message-context';
import { backoffDelay, isTransientInfrastructureError } from '../retry-policy';
import { restoreTraceContext } from '../tracing/trace-carrier';
import { KafkaEventContext } from './kafka-event-context';
import { decodeMessage } from './message-decoder';

export type EventHandlerFn = (envelope: EventEnvelope<object>, ctx: KafkaEventContext) => Promise<unknown>;

export interface TopicConsumerOptions {
  kafka: Kafka;
  sessionTimeoutMs?: number;
  topic: string;
  groupId: string;
  deadLetterTopic: string;
  schema: string;
  dataSource: DataSource;
  catalog: EventCatalog;
  handlers: ReadonlyMap<string, EventHandlerFn>;
  producer: KafkaProducer;
  /** Attempts for a message whose handler keeps failing (not counting infrastructure outages). */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

type Outcome = 'handled' | 'duplicate';

const tracer = trace.getTracer('@keyflow/messaging');

/**
 * One kafkajs consumer (and consumer group) for one topic, so a slow topic never holds up another.
 * For each message, in partition order:
 *   decode and validate → (invalid: dead-letter with the reason)
 *   one transaction: inbox insert (duplicate → nothing) + the handler's effects + its appended events
 *   resolve the offset only after that commit; kafkajs commits resolved offsets.
 * A handler that keeps failing is retried with backoff, then dead-lettered; an infrastructure outage
 * (database down) is retried until it ends, since no message is at fault. Either way the partition moves
 * on or waits; it never skips a message silently.
 */
export class TopicConsumer {
  private readonly logger: Logger;
  private consumer?: Consumer;
  private stopping = false;
  private restarting?: Promise<void>;

  constructor(private readonly options: TopicConsumerOptions) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
  }

  async start(): Promise<void> {
    this.stopping = false;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: Math.max(500, Math.floor((this.options.sessionTimeoutMs ?? 30000) / 10)),
      maxWaitTimeInMs: 100,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    this.observe(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1000,
      autoCommitThreshold: 100,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.consumer?.disconnect();
  }

  private observe(consumer: Consumer): void {
    const { events } = consumer;
    consumer.on(events.GROUP_JOIN, ({ payload }) =>
      this.logger.log(
        `joined group as ${payload.isLeader ? 'leader' : 'member'}: ${JSON.stringify(payload.memberAssignment)}`,
      ),
    );
    consumer.on(events.REBALANCING, () => this.logger.log('group is rebalancing'));
    // kafkajs restarts itself after retriable crashes; after a non-retriable one (restart=false) the
    // consumer is dead and must be rebuilt, or this topic silently stops being consumed.
    consumer.on(events.CRASH, ({ payload }) => {
      this.logger.error(
        `consumer crashed: ${payload.error.message} (kafkajs restarts it: ${payload.restart})`,
      );
      if (!payload.restart && !this.stopping) this.restarting = this.restartAfterCrash(consumer);
    });
  }

  private async restartAfterCrash(crashed: Consumer): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        this.logger.log('consumer rebuilt after crash');
        return;
      } catch (error) {
        this.logger.error(`rebuilding consumer failed: ${(error as Error).message}`);
        await sleep(backoffDelay(attempt, { baseMs: 500, maxMs: 10000 }));
      }
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      // After a rebalance the partition may belong to another member now: stop, do not double-process.
      if (!isRunning() || isStale()) break;
      await this.process(batch.partition, message, heartbeat);
      resolveOffset(message.offset);
      crashPoint('consumer.after-commit-before-offset');
      await commitOffsetsIfNecessary();
    }
    await heartbeat();
  }

  private async process(
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const { catalog, handlers, topic } = this.options;
    const decoded = decodeMessage(message.value, catalog, (type) => handlers.has(type));
    if (decoded.kind === 'unhandled') {
      kafkaMessages.inc({ group: this.options.groupId, topic, outcome: 'unhandled' });
      return;
    }
    if (decoded.kind === 'invalid') {
      await this.deadLetter(partition, message, decoded.reason, 0, 'invalid');
      return;
    }
    const { envelope } = decoded;
    const parent = restoreTraceContext(traceCarrierOf(message.headers), context.active());
    const span = tracer.startSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.destination.partition.id': String(partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.message.id': envelope.id,
          [SpanAttributes.orderId]: envelope.subject,
          [SpanAttributes.eventType]: envelope.type,
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () =>
        this.processWithRetries(partition, message, envelope, span, heartbeat),
      );
    } finally {
      span.end();
    }
  }

  private async processWithRetries(
    partition: number,
    message: KafkaMessage,
    envelope: EventEnvelope<object>,
    span: Span,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const handler = this.options.handlers.get(envelope.type)!;
    const { groupId: group, topic } = this.options;
    let failures = 0;
    for (let attempt = 1; ; attempt++) {
      const stopTimer = kafkaHandlerDuration.startTimer({ group, type: envelope.type });
      try {
        const outcome = await this.handleOnce(handler, partition, message, envelope, attempt);
        stopTimer();
        span.setAttribute('messaging.duplicate', outcome === 'duplicate');
        kafkaMessages.inc({ group, topic, outcome });
        return;
      } catch (error) {
        const reason = errorReason(error);
        span.addEvent('handler failed', { attempt, reason });
        if (this.stopping) throw error; // leave the offset uncommitted; the next owner handles it
        const transient = isTransientInfrastructureError(error);
        kafkaHandlerFailures.inc({ group, type: envelope.type, kind: transient ? 'transient' : 'handler' });
        if (transient) {
          this.logger.warn(
            `infrastructure unavailable while handling ${envelope.type} ${envelope.id}: ${reason}`,
          );
          await sleep(
            backoffDelay(Math.min(attempt, 8), {
              baseMs: this.options.retryBaseMs,
              maxMs: this.options.retryMaxMs,
            }),
          );
          await heartbeat();
          continue;
        }
        failures += 1;
        if (failures >= this.options.maxAttempts) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          await this.deadLetter(
            partition,
            message,
            `handler failed after ${failures} attempts: ${reason}`,
            failures,
            'handler-failed',
          );
          return;
        }
        this.logger.warn(`handling ${envelope.type} ${envelope.id} failed (attempt ${failures}): ${reason}`);
        await sleep(
          backoffDelay(failures, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs }),
        );
        await heartbeat();
      }
    }
  }

  private async handleOnce(
    handler: EventHandlerFn,
    partition: number,
    message: KafkaMessage,
    envelope: EventEnvelope<object>,
    attempt: number,
  ): Promise<Outcome> {
    const { dataSource, schema, groupId, topic } = this.options;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const fresh = await recordInInbox(runner.manager, schema, groupId, envelope.id, envelope.type);
      if (!fresh) {
        await runner.rollbackTransaction();
        return 'duplicate';
      }
      const afterCommit: Array<() => void> = [];
      const ctx = new KafkaEventContext({
        manager: runner.manager,
        envelope,
        topic,
        partition,
        offset: message.offset,
        consumerGroup: groupId,
        attempt,
        afterCommit,
      });
      await runWithCausingEvent(envelope, () => handler(envelope, ctx));
      crashPoint('consumer.before-commit');
      await runner.commitTransaction();
      for (const fn of afterCommit) {
        try {
          fn();
        } catch (error) {
          this.logger.warn(`after-commit hook failed: ${(error as Error).message}`);
        }
      }
      return 'handled';
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Parks a message on the group's dead-letter topic with the reason and its original headers. */
  private async deadLetter(
    partition: number,
    message: KafkaMessage,
    reason: string,
    attempts: number,
    kind: 'invalid' | 'handler-failed',
  ): Promise<void> {
    this.logger.error(`dead-lettering ${this.options.topic}[${partition}]@${message.offset}: ${reason}`);
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [KafkaHeaders.dlqReason]: reason.slice(0, 4000),
      [KafkaHeaders.dlqOriginalTopic]: this.options.topic,
      [KafkaHeaders.dlqOriginalPartition]: String(partition),
      [KafkaHeaders.dlqOriginalOffset]: message.offset,
      [KafkaHeaders.dlqConsumerGroup]: this.options.groupId,
      [KafkaHeaders.dlqFailedAt]: new Date().toISOString(),
      [KafkaHeaders.dlqAttempts]: String(attempts),
    };
    // If this send fails the error propagates, the offset stays uncommitted and the message comes back.
    await this.options.producer.send([
      {
        topic: this.options.deadLetterTopic,
        key: message.key?.toString('utf8') ?? '',
        value: message.value,
        headers,
      },
    ]);
    deadLettered.inc({ group: this.options.groupId, reason: kind });
    kafkaMessages.inc({ group: this.options.groupId, topic: this.options.topic, outcome: 'dead_lettered' });
  }
}

function traceCarrierOf(headers: IHeaders | undefined): { traceparent?: string; tracestate?: string } {
  const read = (name: string) => {
    const value = headers?.[name];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  };
  const carrier: { traceparent?: string; tracestate?: string } = {};
  const traceparent = read(KafkaHeaders.traceparent);
  const tracestate = read(KafkaHeaders.tracestate);
  if (traceparent) carrier.traceparent = traceparent;
  if (tracestate) carrier.tracestate = tracestate;
  return carrier;
}

function errorReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`;
  }
  return typeof error === 'object' ? JSON.stringify(error) : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
