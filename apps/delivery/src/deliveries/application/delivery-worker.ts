import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { DataSource } from 'typeorm';

import { restoreTraceContext } from '@keyflow/messaging';
import { SpanAttributes } from '@keyflow/observability';
import { BatchWriter, PolledWorker, type TickResult, WorkWakeups } from '@keyflow/service-kit';
import { crashPoint } from '@keyflow/resilience';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-settings';
import {
  DELIVERY_JOBS_CHANNEL,
  DeliveryJobRepository,
  type DeliveryJob,
} from '../infrastructure/delivery-job.repository';
import { SupplierRegistry } from '../infrastructure/suppliers/supplier-registry';
import { SupplierRotationRepository } from '../infrastructure/supplier-rotation.repository';
import { type AttemptOutcome, DeliveryOutcomeWriter } from './delivery-outcome-writer';
import { purchaseWithFailover } from './supplier-purchaser';

const tracer = trace.getTracer('delivery');

/**
 * Claims up to `workerConcurrency` due delivery jobs in one statement (SKIP LOCKED, under a lease) and buys
 * their keys concurrently, outside any transaction, so a slow supplier holds no row lock and no connection.
 * The writes around the purchases are grouped: the "started at supplier X" marks of jobs starting together
 * are one statement, and outcomes finishing together are recorded in one transaction (each checking its
 * claim is still this worker's), so a tick of N jobs costs a handful of commits, not 3 × N. Woken by a
 * NOTIFY when a job is queued on any replica; `workerIntervalMs` is the safety net.
 */
@Injectable()
export class DeliveryWorker extends PolledWorker {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly startedMarks: BatchWriter<{ orderId: string; supplierId: string }>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: DeliveryJobRepository,
    private readonly suppliers: SupplierRegistry,
    private readonly outcomes: DeliveryOutcomeWriter,
    private readonly rotation: SupplierRotationRepository,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    wakeups: WorkWakeups,
  ) {
    super('DeliveryWorker', settings.workerIntervalMs, { wakeups, channel: DELIVERY_JOBS_CHANNEL });
    this.startedMarks = new BatchWriter((marks) => this.jobs.noteStarted(this.dataSource.manager, marks));
  }

  async tick(): Promise<TickResult> {
    const { workerConcurrency, jobLeaseMs } = this.settings;
    const { claimed, outOfRotation, nextDueInMs } = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.jobs.claimDue(manager, workerConcurrency, jobLeaseMs);
      return {
        claimed,
        outOfRotation: claimed.length > 0 ? await this.rotation.outOfRotation(manager) : [],
        // Jobs not claimed now (retries scheduled later, other workers' leases): when to look again.
        nextDueInMs: (await this.jobs.nextDueInMs(manager)) ?? Infinity,
      };
    });
    if (claimed.length === 0) return dueIn(nextDueInMs);
    const claimedAt = Date.now();
    const unfinished = new Map(claimed.map((job) => [job.orderId, job]));
    const heartbeat = this.keepClaims(unfinished);
    try {
      const dueAgain = await Promise.all(
        claimed.map((job) => this.run(job, outOfRotation).finally(() => unfinished.delete(job.orderId))),
      );
      if (claimed.length === workerConcurrency) return 'more';
      const now = Date.now();
      const rescheduled = dueAgain.map((at) => (at ? Date.parse(at) - now : Infinity));
      return dueIn(Math.min(nextDueInMs - (now - claimedAt), ...rescheduled));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Renews the leases of the tick's unfinished jobs every third of a lease, in one statement, so a slow
   * attempt is never taken over; a dead process stops renewing and its jobs are claimed again.
   */
  private keepClaims(unfinished: Map<string, DeliveryJob>): NodeJS.Timeout {
    const { jobLeaseMs } = this.settings;
    return setInterval(
      () => {
        const claims = [...unfinished.values()].map((job) => ({
          orderId: job.orderId,
          claimToken: job.claimToken ?? '',
        }));
        this.jobs
          .extendLeases(this.dataSource.manager, claims, jobLeaseMs)
          .catch((error: Error) => this.logger.warn(`leases not renewed: ${error.message}`));
      },
      Math.max(100, Math.floor(jobLeaseMs / 3)),
    );
  }

  /**
   * One attempt, in the order's trace (the context stored with the job), linked to the worker's poll.
   * Resolves with the time the job is due again when it was rescheduled.
   */
  private run(job: DeliveryJob, outOfRotation: string[]): Promise<string | undefined> {
    const poll = trace.getSpanContext(context.active());
    const links = poll ? [{ context: poll }] : [];
    return tracer.startActiveSpan(
      'delivery attempt',
      { links },
      restoreTraceContext(job.traceContext),
      async (span) => {
        span.setAttributes({ [SpanAttributes.orderId]: job.orderId, 'delivery.attempt': job.attempts });
        try {
          const result = await purchaseWithFailover(
            {
              orderId: job.orderId,
              idempotencyKey: job.idempotencyKey,
              sku: job.supplierSku ?? job.sku,
              quantity: job.quantity,
              route: job.route,
              started: job.startedSuppliers,
              abandonUnknownOutcomes:
                Date.now() - Date.parse(job.createdAt) > this.settings.unknownOutcomeGiveUpMs,
              outOfRotation,
            },
            {
              suppliers: this.suppliers.entries,
              noteStarted: (supplierId) => this.startedMarks.submit({ orderId: job.orderId, supplierId }),
            },
          );
          if (result.kind === 'bought') {
            span.setAttribute('delivery.served_by', result.supplierId);
            crashPoint('delivery.after-purchase');
          }
          const keyIds = result.kind === 'bought' ? result.purchase.keys.map(() => randomUUID()) : [];
          const outcome: AttemptOutcome = { job, result, keyIds };
          await this.outcomes.submit(outcome);
          return outcome.dueAgainAt;
        } catch (error) {
          // The lease runs out and the job is claimed again; the idempotency key makes that safe.
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
          this.logger.error(
            `order ${job.orderId}: attempt ${job.attempts} broke off: ${(error as Error).message}`,
          );
          return undefined;
        } finally {
          span.end();
        }
      },
    );
  }
}

function dueIn(ms: number): TickResult {
  return Number.isFinite(ms) ? { nextDueInMs: ms } : 'idle';
}
