import { Inject, Injectable, Logger } from '@nestjs/common';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';

import { restoreTraceContext } from '@keyflow/messaging';
import { SpanAttributes } from '@keyflow/observability';

import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';
import { afterFailure } from '../domain/fallback-policy';
import { NotificationError, SendFailedError } from '../domain/notification.errors';
import {
  type ClaimedNotification,
  NOTIFICATIONS_CHANNEL,
  NotificationRepository,
} from '../infrastructure/notification.repository';
import { NotificationEvents } from '../infrastructure/notification-events';
import { notificationSends } from '../infrastructure/notification-metrics';
import {
  BatchWriter,
  type InItsContext,
  PolledWorker,
  type TickResult,
  WorkWakeups,
} from '@keyflow/service-kit';
import { crashPoint } from '@keyflow/resilience';
import { ChannelDispatcher, type SendResult } from './channel-dispatcher';

/** Outcomes that finish within this of each other share one transaction. */
const OUTCOME_LINGER_MS = 5;
const tracer = trace.getTracer('notification');

type Outcome = { ok: true; result: SendResult } | { ok: false; reason: string; permanent: boolean };

interface RecordedOutcome {
  job: ClaimedNotification;
  outcome: Outcome;
  /** Set when recorded: how long until the job is due again (Infinity when it is done). */
  dueAgainInMs: number;
}

/**
 * Sends due notifications. A tick claims up to NOTIFICATION_WORKER_BATCH jobs and records their attempts
 * in one committed transaction before anything goes out (SKIP LOCKED: instances share the work, never the
 * same job); the sends run concurrently, and outcomes that finish together are recorded in one shared
 * transaction, with notification.sent.v1 / notification.failed.v1 appended on it. A process that dies in
 * between leaves the jobs `sending` until their lease ends; the next claim marks those attempts in-doubt
 * and repeats them with the same Message-ID / notification id, so receivers can drop a repeat. Woken by a
 * NOTIFY when a notification falls due on any replica; NOTIFICATION_WORKER_POLL_MS is the safety net.
 */
@Injectable()
export class SendNotificationsWorker extends PolledWorker {
  private readonly logger = new Logger('SendNotifications');
  private readonly outcomes: BatchWriter<RecordedOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly events: NotificationEvents,
    private readonly dispatcher: ChannelDispatcher,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
    wakeups: WorkWakeups,
  ) {
    super('SendNotificationsWorker', settings.workerPollMs, { wakeups, channel: NOTIFICATIONS_CHANNEL });
    this.outcomes = new BatchWriter((done, inItsContext) => this.recordOutcomes(done, inItsContext), {
      lingerMs: OUTCOME_LINGER_MS,
    });
  }

  async tick(): Promise<TickResult> {
    const { workerBatch, sendLeaseSeconds } = this.settings;
    const { claimed, nextDueInMs } = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.notifications.claimDue(manager, workerBatch, sendLeaseSeconds);
      // Jobs not claimed now (retries due later, sends in flight elsewhere): when to look again.
      return { claimed, nextDueInMs: (await this.notifications.nextDueInMs(manager)) ?? Infinity };
    });
    const claimedAt = Date.now();
    if (claimed.length > 0) crashPoint('notification.after-claim');
    const retries = await Promise.all(claimed.map((job) => this.process(job)));
    if (claimed.length === workerBatch) return 'more';
    const soonest = Math.min(nextDueInMs - (Date.now() - claimedAt), ...retries);
    return Number.isFinite(soonest) ? { nextDueInMs: soonest } : 'idle';
  }

  /**
   * One attempt, in the trace of the event that planned it (the order's), linked to the worker's poll.
   * Resolves with how long until the job is due again (Infinity when it is done).
   */
  private process(job: ClaimedNotification): Promise<number> {
    const poll = trace.getSpanContext(context.active());
    const attributes = {
      'notification.purpose': job.purpose,
      'notification.recipient': job.recipient,
      'notification.attempt': job.attempt,
      ...(job.orderId ? { [SpanAttributes.orderId]: job.orderId } : {}),
    };
    return tracer.startActiveSpan(
      'notification send',
      { attributes, links: poll ? [{ context: poll }] : [] },
      restoreTraceContext(job.traceContext),
      async (span) => {
        try {
          return await this.attempt(job);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async attempt(job: ClaimedNotification): Promise<number> {
    if (job.inDoubt)
      this.logger.warn(
        `${this.describe(job)}: previous attempt in doubt (process stopped mid-send); repeating it`,
      );
    let outcome: Outcome;
    const sends = { channel: job.channels[job.channelIndex] ?? 'none', purpose: job.purpose };
    try {
      outcome = { ok: true, result: await this.dispatcher.send(job) };
      notificationSends.inc({ ...sends, outcome: 'sent' });
    } catch (error) {
      notificationSends.inc({ ...sends, outcome: 'failed' });
      outcome = {
        ok: false,
        reason: reasonOf(error),
        permanent: error instanceof SendFailedError && error.permanent,
      };
    }
    const done: RecordedOutcome = { job, outcome, dueAgainInMs: Infinity };
    await this.outcomes.submit(done);
    return done.dueAgainInMs;
  }

  /** The outcomes of sends that finished together, in one transaction. */
  private async recordOutcomes(done: RecordedOutcome[], inItsContext: InItsContext): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const [index, recorded] of done.entries()) {
        // In the job's own trace and order: its event carries that trace, its log lines that order.
        await inItsContext(index, async () => {
          const { job, outcome } = recorded;
          if (!(await this.notifications.lockOwnAttempt(manager, job.notificationId, job.attempt))) {
            this.logger.warn(
              `${this.describe(job)}: lease ran out before the outcome was recorded; left to the next attempt`,
            );
            return;
          }
          if (outcome.ok) await this.recordSent(manager, job, outcome.result);
          else recorded.dueAgainInMs = await this.recordFailure(manager, job, outcome);
        });
      }
    });
  }

  private async recordSent(
    manager: Parameters<NotificationRepository['markSent']>[0],
    job: ClaimedNotification,
    result: SendResult,
  ): Promise<void> {
    await this.notifications.markSent(manager, job.notificationId, job.attempt, result.channel, result.late);
    this.logger.log(
      `${this.describe(job)}: sent via ${result.channel} on attempt ${job.attempt}${result.late ? ' (late, said so)' : ''}`,
    );
    if (job.recipient === 'buyer' && job.orderId) {
      await this.events.sent(manager, {
        orderId: job.orderId,
        notificationId: job.notificationId,
        channel: result.channel,
        purpose: job.purpose,
        attempts: job.attempt,
        sentAt: result.sentAt,
        late: result.late,
      });
    }
  }

  private async recordFailure(
    manager: Parameters<NotificationRepository['markSent']>[0],
    job: ClaimedNotification,
    failure: { reason: string; permanent: boolean },
  ): Promise<number> {
    const channel = job.channels[job.channelIndex]!;
    const decision = afterFailure(job, failure, this.settings.retry);
    if (decision.kind !== 'give-up') {
      await this.notifications.reschedule(
        manager,
        job.notificationId,
        job.attempt,
        {
          channelIndex: decision.channelIndex,
          delayMs: decision.delayMs,
          sameChannel: decision.kind === 'retry',
        },
        failure.reason,
      );
      this.logger.warn(
        `${this.describe(job)}: ${channel} attempt ${job.attempt} failed (${failure.reason}); ` +
          (decision.kind === 'retry'
            ? `retrying in ${decision.delayMs} ms`
            : `falling back to ${job.channels[decision.channelIndex]}`),
      );
      return decision.delayMs;
    }
    await this.notifications.markFailed(manager, job.notificationId, job.attempt, failure.reason);
    this.logger.error(`${this.describe(job)}: every channel failed; last: ${channel} (${failure.reason})`);
    if (job.recipient === 'buyer' && job.orderId) {
      await this.events.failed(manager, {
        orderId: job.orderId,
        notificationId: job.notificationId,
        channel,
        purpose: job.purpose,
        attempts: job.attempt,
        reason: `every channel failed (${job.channels.join(', ')}); last: ${failure.reason}`.slice(0, 500),
      });
    }
    return Infinity;
  }

  private describe(job: ClaimedNotification): string {
    return `notification ${job.notificationId} (${job.recipient}, ${job.purpose}, ${job.subject})`;
  }
}

/**
 * Why an attempt failed, safe to store, log and publish: our own errors' messages are built without
 * content; anything else (a bug) is reduced to its class name, since its message could quote a template.
 */
function reasonOf(error: unknown): string {
  if (error instanceof NotificationError) return error.message.slice(0, 300);
  return `internal error (${(error as Error)?.name ?? 'unknown'})`;
}
