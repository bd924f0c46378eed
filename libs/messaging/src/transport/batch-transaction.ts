import { Logger } from '@nestjs/common';
import { context, type Span } from '@opentelemetry/api';
import { type DataSource, type QueryRunner } from 'typeorm';

import { type EventEnvelope } from '@keyflow/contracts';
import { kafkaHandlerDuration, kafkaHandlerFailures, kafkaMessages } from '@keyflow/observability';
import { crashPoint } from '@keyflow/resilience';

import { lockOrders } from '../order-lock/order-lock';
import { failureKind } from '../retry-policy';
import { errorReason, startConsumerSpan } from './consumer-span';
import {
  type ConsumedMessage,
  type InboxHandlingOptions,
  type Outcome,
  recordAndHandle,
  runAfterCommitHooks,
} from './inbox-handling';

export interface BatchOutcome {
  /** The messages whose work (or skip) is committed: a prefix of the input, in partition order. */
  committed: ConsumedMessage[];
  /** The message whose handler threw: its work was rolled back and nothing after it was attempted. */
  failed?: { consumed: ConsumedMessage; envelope: EventEnvelope<object>; error: unknown };
}

interface InFlight {
  envelope: EventEnvelope<object>;
  outcome: Outcome;
  span: Span;
  afterCommit: Array<() => void>;
}

const SAVEPOINT = 'keyflow_message';

/**
 * Handles consecutive messages of one partition in ONE Postgres transaction: first the lock of every
 * order (subject) in the batch (see lockOrders, in the service's schema as scope), then per message a savepoint,
 * the inbox row and the handler's effects and events, then release. So N messages cost one commit, not N.
 *
 * - A handler that throws is rolled back to its savepoint, what came before it is committed, and the
 *   outcome names it (`failed`): the caller handles it alone, with retries and the dead-letter topic.
 * - Anything else that goes wrong (the database is away, a deadlock or serialization failure against
 *   another consumer's transaction, a failing commit) rolls the whole transaction back and is thrown:
 *   no message is to blame, so nothing is dead-lettered; the caller retries.
 * Each message keeps its own CONSUMER span and causing-event context; spans end and after-commit hooks
 * run once the commit is done.
 */
export class BatchTransaction {
  private readonly logger: Logger;

  constructor(private readonly options: InboxHandlingOptions & { dataSource: DataSource }) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
  }

  async run(items: readonly ConsumedMessage[]): Promise<BatchOutcome> {
    if (!items.some((item) => item.decoded.kind === 'ok')) {
      this.countSkipped(items);
      return { committed: [...items] }; // nothing to write: no transaction at all
    }
    const runner = this.options.dataSource.createQueryRunner();
    const inFlight: InFlight[] = [];
    const committed: ConsumedMessage[] = [];
    let failed: BatchOutcome['failed'];
    try {
      await runner.connect();
      await runner.startTransaction();
      // Every order of the batch, locked up front in one fixed order (see lockOrders): handlers that lock
      // their order then already hold it, and batches of two consumers sharing orders cannot deadlock.
      await lockOrders(runner.manager, this.options.schema, subjectsOf(items));
      for (const consumed of items) {
        if (consumed.decoded.kind !== 'ok') {
          committed.push(consumed);
          continue;
        }
        const { envelope } = consumed.decoded;
        const handled = await this.handleInSavepoint(runner, consumed, envelope);
        if ('error' in handled) {
          failed = { consumed, envelope, error: handled.error };
          break;
        }
        inFlight.push(handled);
        committed.push(consumed);
      }
      if (inFlight.length === 0) {
        await runner.rollbackTransaction(); // only a failed message: nothing worth a commit
      } else {
        crashPoint('consumer.before-commit');
        await runner.commitTransaction();
      }
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      for (const { span } of inFlight) {
        span.addEvent('batch rolled back', { reason: errorReason(error) });
        span.end();
      }
      throw error;
    } finally {
      await runner.release();
    }
    this.afterCommit(inFlight, committed);
    return failed ? { committed, failed } : { committed };
  }

  /** Runs one message between SAVEPOINT and RELEASE; a handler's own failure is rolled back and returned. */
  private async handleInSavepoint(
    runner: QueryRunner,
    consumed: ConsumedMessage,
    envelope: EventEnvelope<object>,
  ): Promise<InFlight | { error: unknown }> {
    const { groupId: group } = this.options;
    const { span, context: spanContext } = startConsumerSpan(
      { ...this.options, partition: consumed.partition },
      consumed.message,
      envelope,
    );
    const afterCommit: Array<() => void> = [];
    const stopTimer = kafkaHandlerDuration.startTimer({ group, type: envelope.type });
    try {
      const outcome = await context.with(spanContext, async () => {
        await runner.query(`SAVEPOINT ${SAVEPOINT}`);
        const result = await recordAndHandle(
          this.options,
          runner.manager,
          consumed,
          envelope,
          1,
          afterCommit,
        );
        await runner.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        return result;
      });
      stopTimer();
      return { envelope, outcome, span, afterCommit };
    } catch (error) {
      const kind = failureKind(error);
      const reason = errorReason(error);
      span.addEvent('handler failed', { attempt: 1, reason });
      kafkaHandlerFailures.inc({
        group,
        type: envelope.type,
        kind: kind === 'message' ? 'handler' : 'transient',
      });
      span.end();
      if (kind !== 'message') throw error; // the whole transaction is lost, not just this message
      this.logger.warn(
        `handling ${envelope.type} ${envelope.id} failed in a batch: ${reason}; handling it alone`,
      );
      await runner.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      return { error };
    }
  }

  private afterCommit(inFlight: InFlight[], committed: ConsumedMessage[]): void {
    const { groupId: group, topic } = this.options;
    for (const { outcome, span } of inFlight) {
      span.setAttribute('messaging.duplicate', outcome === 'duplicate');
      span.end();
      kafkaMessages.inc({ group, topic, outcome });
    }
    this.countSkipped(committed);
    runAfterCommitHooks(
      inFlight.flatMap((handled) => handled.afterCommit),
      (message) => this.logger.warn(message),
    );
  }

  private countSkipped(items: readonly ConsumedMessage[]): void {
    const skipped = items.filter((item) => item.decoded.kind === 'unhandled').length;
    if (skipped > 0)
      kafkaMessages.inc(
        { group: this.options.groupId, topic: this.options.topic, outcome: 'unhandled' },
        skipped,
      );
  }
}

/** The orders (envelope subjects) a batch's handled messages are about. */
function subjectsOf(items: readonly ConsumedMessage[]): string[] {
  return items.flatMap((item) =>
    item.decoded.kind === 'ok' && item.decoded.envelope.subject ? [item.decoded.envelope.subject] : [],
  );
}
