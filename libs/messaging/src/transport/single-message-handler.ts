import { Logger } from '@nestjs/common';
import { context, SpanStatusCode, type Span } from '@opentelemetry/api';
import { type DataSource } from 'typeorm';

import { type EventEnvelope } from '@keyflow/contracts';
import { kafkaHandlerDuration, kafkaHandlerFailures, kafkaMessages } from '@keyflow/observability';
import { backoffDelay, crashPoint } from '@keyflow/resilience';

import { isTransientInfrastructureError } from '../retry-policy';
import { errorReason, startConsumerSpan } from './consumer-span';
import { type DeadLetterer } from './dead-letterer';
import {
  type ConsumedMessage,
  type InboxHandlingOptions,
  type Outcome,
  recordAndHandle,
  runAfterCommitHooks,
} from './inbox-handling';

export interface SingleMessageOptions extends InboxHandlingOptions {
  dataSource: DataSource;
  /** Attempts for a message whose handler keeps failing (not counting infrastructure outages). */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * One message in a transaction of its own, retried: a handler that keeps failing is retried with backoff,
 * then dead-lettered with the reason; an infrastructure outage or lock contention is retried until it
 * passes, since no message is at fault. The batch path sends a message here when its handler threw
 * inside a batch (`priorFailures` = 1), or when a batch ran into another transaction's locks.
 */
export class SingleMessageHandler {
  private readonly logger: Logger;

  constructor(
    private readonly options: SingleMessageOptions,
    private readonly deadLetterer: DeadLetterer,
    private readonly isStopping: () => boolean,
  ) {
    this.logger = new Logger(`Consumer:${options.groupId}`);
  }

  async process(
    consumed: ConsumedMessage,
    envelope: EventEnvelope<object>,
    heartbeat: () => Promise<void>,
    priorFailures = 0,
  ): Promise<void> {
    const { span, context: spanContext } = startConsumerSpan(
      { ...this.options, partition: consumed.partition },
      consumed.message,
      envelope,
    );
    try {
      await context.with(spanContext, () =>
        this.processWithRetries(consumed, envelope, span, heartbeat, priorFailures),
      );
    } finally {
      span.end();
    }
  }

  private async processWithRetries(
    consumed: ConsumedMessage,
    envelope: EventEnvelope<object>,
    span: Span,
    heartbeat: () => Promise<void>,
    priorFailures: number,
  ): Promise<void> {
    const { groupId: group, topic } = this.options;
    let failures = priorFailures;
    for (let attempt = priorFailures + 1; ; attempt++) {
      const stopTimer = kafkaHandlerDuration.startTimer({ group, type: envelope.type });
      try {
        const outcome = await this.handleOnce(consumed, envelope, attempt);
        stopTimer();
        span.setAttribute('messaging.duplicate', outcome === 'duplicate');
        kafkaMessages.inc({ group, topic, outcome });
        return;
      } catch (error) {
        const reason = errorReason(error);
        span.addEvent('handler failed', { attempt, reason });
        if (this.isStopping()) throw error; // leave the offset unresolved; the next owner handles it
        const transient = isTransientInfrastructureError(error);
        kafkaHandlerFailures.inc({ group, type: envelope.type, kind: transient ? 'transient' : 'handler' });
        if (transient) {
          this.logger.warn(
            `infrastructure unavailable or contended while handling ${envelope.type} ${envelope.id}: ${reason}`,
          );
          await sleep(this.backoff(Math.min(attempt, 8)));
          await heartbeat();
          continue;
        }
        failures += 1;
        if (failures >= this.options.maxAttempts) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
          await this.deadLetterer.deadLetter(
            consumed.partition,
            consumed.message,
            `handler failed after ${failures} attempts: ${reason}`,
            failures,
            'handler-failed',
          );
          return;
        }
        this.logger.warn(`handling ${envelope.type} ${envelope.id} failed (attempt ${failures}): ${reason}`);
        await sleep(this.backoff(failures));
        await heartbeat();
      }
    }
  }

  private async handleOnce(
    consumed: ConsumedMessage,
    envelope: EventEnvelope<object>,
    attempt: number,
  ): Promise<Outcome> {
    const runner = this.options.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const afterCommit: Array<() => void> = [];
      const outcome = await recordAndHandle(
        this.options,
        runner.manager,
        consumed,
        envelope,
        attempt,
        afterCommit,
      );
      if (outcome === 'duplicate') {
        await runner.rollbackTransaction();
        return outcome;
      }
      crashPoint('consumer.before-commit');
      await runner.commitTransaction();
      runAfterCommitHooks(afterCommit, (message) => this.logger.warn(message));
      return outcome;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, { baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
