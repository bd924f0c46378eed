import { Logger } from '@nestjs/common';
import { type Consumer, type EachBatchPayload, type Kafka } from 'kafkajs';
import { type DataSource } from 'typeorm';

import { type EventCatalog } from '@keyflow/contracts';
import { kafkaMessages } from '@keyflow/observability';
import { backoffDelay, crashPoint } from '@keyflow/resilience';

import { type KafkaProducer } from '../kafka/kafka-producer';
import { failureKind } from '../retry-policy';
import { type MessageWork, planBatch } from './batch-plan';
import { BatchTransaction } from './batch-transaction';
import { errorReason } from './consumer-span';
import { DeadLetterer } from './dead-letterer';
import { type ConsumedMessage, type EventHandlerFn } from './inbox-handling';
import { decodeMessage } from './message-decoder';
import { SingleMessageHandler, sleep } from './single-message-handler';

export type { EventHandlerFn } from './inbox-handling';

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
  /** Most messages handled in one Postgres transaction (see DEFAULT_MESSAGES_PER_TRANSACTION). */
  maxMessagesPerTransaction?: number;
}

/**
 * Default cap on messages per transaction. Each message runs in a savepoint, and Postgres keeps the ids
 * of a transaction's first 64 writing subtransactions in shared memory; past that, every other session's
 * snapshot checks fall back to pg_subtrans (the "subtransaction overflow" slowdown). 64 stays under it.
 */
export const DEFAULT_MESSAGES_PER_TRANSACTION = 64;

/**
 * One kafkajs consumer (and consumer group) for one topic, so a slow topic never holds up another.
 * Each fetched batch of a partition is handled in partition order, in as few transactions as it can:
 *   decode and validate every message → (invalid: dead-letter with the reason, between transactions)
 *   one transaction per run of up to `maxMessagesPerTransaction` messages (see BatchTransaction):
 *     per message the inbox insert (duplicate → nothing) + the handler's effects + its appended events
 *   resolve offsets only after the commit that holds their messages; kafkajs commits resolved offsets.
 * A handler that throws inside a batch: what came before it commits, it is handled alone (retried with
 * backoff, then dead-lettered), and the rest goes on in a new transaction. An infrastructure outage
 * (database down) rolls the batch back and retries it until the outage ends; lock contention with
 * another consumer's transaction rolls it back and handles its messages one per transaction. Either way
 * the partition moves on or waits; it never skips a message silently.
 */
export class TopicConsumer {
  private readonly logger: Logger;
  private readonly maxPerTransaction: number;
  private readonly deadLetterer: DeadLetterer;
  private readonly batches: BatchTransaction;
  private readonly single: SingleMessageHandler;
  private consumer?: Consumer;
  private stopping = false;
  private restarting?: Promise<void>;

  constructor(private readonly options: TopicConsumerOptions) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
    this.maxPerTransaction = options.maxMessagesPerTransaction ?? DEFAULT_MESSAGES_PER_TRANSACTION;
    this.deadLetterer = new DeadLetterer(options, options.producer);
    this.batches = new BatchTransaction(options);
    this.single = new SingleMessageHandler(options, this.deadLetterer, () => this.stopping);
  }

  async start(): Promise<void> {
    this.stopping = false;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 30000;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      ...fetchSettings(sessionTimeout),
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
    const { catalog, handlers } = this.options;
    const consumed: ConsumedMessage[] = batch.messages.map((message) => ({
      partition: batch.partition,
      message,
      decoded: decodeMessage(message.value, catalog, (type) => handlers.has(type)),
    }));
    const run: BatchRun = {
      heartbeat,
      // After a rebalance the partition may belong to another member now: stop, do not double-process.
      owned: () => isRunning() && !isStale(),
      done: async (last) => {
        resolveOffset(last.message.offset);
        crashPoint('consumer.after-commit-before-offset');
        await commitOffsetsIfNecessary();
      },
    };
    for (const step of planBatch(consumed, workOf, this.maxPerTransaction)) {
      if (!run.owned()) break;
      if (step.kind === 'dead-letter') {
        const { partition, message, decoded } = step.item;
        const reason = decoded.kind === 'invalid' ? decoded.reason : 'invalid message';
        await this.deadLetterer.deadLetter(partition, message, reason, 0, 'invalid');
        await run.done(step.item);
      } else if (!(await this.handleInTransactions(step.items, run))) {
        break;
      }
      await heartbeat();
    }
  }

  /**
   * Handles consecutive messages in one transaction, splitting it where a handler throws. Returns false
   * when the partition is no longer ours (what is not done stays unresolved for the next owner).
   */
  private async handleInTransactions(items: ConsumedMessage[], run: BatchRun): Promise<boolean> {
    let rest = items;
    for (let outages = 0; rest.length > 0;) {
      if (!run.owned()) return false;
      let outcome;
      try {
        outcome = await this.batches.run(rest);
      } catch (error) {
        if (this.stopping) throw error; // leave the offsets unresolved; the next owner handles them
        if (failureKind(error) === 'infrastructure') {
          outages += 1;
          this.logger.warn(
            `infrastructure unavailable while handling a batch of ${rest.length}: ${errorReason(error)}`,
          );
          await sleep(
            backoffDelay(Math.min(outages, 8), {
              baseMs: this.options.retryBaseMs,
              maxMs: this.options.retryMaxMs,
            }),
          );
          await run.heartbeat();
          continue;
        }
        // Lock contention with another transaction, or a failure no handler owns (e.g. at commit): the
        // same messages, one per transaction, cannot deadlock on each other and show who is at fault.
        this.logger.warn(
          `batch of ${rest.length} rolled back (${errorReason(error)}); handling it one message at a time`,
        );
        return this.handleOneByOne(rest, run);
      }
      const { committed, failed } = outcome;
      if (committed.length > 0) await run.done(committed[committed.length - 1]!);
      if (!failed) return true;
      await this.single.process(failed.consumed, failed.envelope, run.heartbeat, 1);
      await run.done(failed.consumed);
      rest = rest.slice(committed.length + 1);
    }
    return true;
  }

  private async handleOneByOne(items: ConsumedMessage[], run: BatchRun): Promise<boolean> {
    for (const item of items) {
      if (!run.owned()) return false;
      if (item.decoded.kind === 'ok') {
        await this.single.process(item, item.decoded.envelope, run.heartbeat);
      } else {
        kafkaMessages.inc({ group: this.options.groupId, topic: this.options.topic, outcome: 'unhandled' });
      }
      await run.done(item);
    }
    return true;
  }
}

interface BatchRun {
  heartbeat: () => Promise<void>;
  owned: () => boolean;
  /** Marks everything up to and including `last` as done, once its effects are committed. */
  done: (last: ConsumedMessage) => Promise<void>;
}

function workOf(item: ConsumedMessage): MessageWork {
  if (item.decoded.kind === 'invalid') return 'dead-letter';
  return item.decoded.kind === 'ok' ? 'handle' : 'skip';
}

/**
 * Fetch long-polls. With minBytes 1 the broker answers a fetch the moment any assigned partition has
 * data, so a long maxWait adds no latency under load; it only sets how often an idle consumer asks
 * (once per maxWait, instead of 10 times a second at 100 ms). kafkajs sends heartbeats between fetches
 * and stops only after the fetch in flight returns, so maxWait stays well below the session timeout
 * (a third of it: 2 s with the tests' 6 s, capped at 5 s). maxBytesPerPartition bounds one partition's
 * batch (kafkajs waits for every partition's batch before fetching again, so one huge batch would hold
 * the others back); a bigger single message is still returned whole.
 */
export function fetchSettings(sessionTimeoutMs: number): {
  maxWaitTimeInMs: number;
  minBytes: number;
  maxBytesPerPartition: number;
} {
  return {
    maxWaitTimeInMs: Math.max(100, Math.min(5000, Math.floor(sessionTimeoutMs / 3))),
    minBytes: 1,
    maxBytesPerPartition: 256 * 1024,
  };
}
