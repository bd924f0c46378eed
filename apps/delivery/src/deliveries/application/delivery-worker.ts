import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { DataSource, type EntityManager } from 'typeorm';

import { restoreTraceContext } from '@keyflow/messaging';
import { SpanAttributes } from '@keyflow/observability';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-settings';
import { DeliveryJobRepository, type DeliveryJob } from '../infrastructure/delivery-job.repository';
import { abandonedPurchases } from '../infrastructure/suppliers/breaker-metrics';
import { SupplierRegistry } from '../infrastructure/suppliers/supplier-registry';
import { SupplierRotationRepository } from '../infrastructure/supplier-rotation.repository';
import { PolledWorker } from '@keyflow/service-kit';
import { deliveryCrashPoint } from './crash-point';
import { RecordAttemptOutcome } from './record-attempt-outcome';
import { purchaseWithFailover } from './supplier-purchaser';

const tracer = trace.getTracer('delivery');

/**
 * Claims due delivery jobs (SKIP LOCKED, under a lease) and buys their keys outside any transaction, so
 * a slow supplier holds no row lock and no connection; the outcome is then recorded in one short
 * transaction that first checks the claim is still this worker's.
 */
@Injectable()
export class DeliveryWorker extends PolledWorker {
  private readonly logger = new Logger('DeliveryWorker');

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: DeliveryJobRepository,
    private readonly suppliers: SupplierRegistry,
    private readonly outcome: RecordAttemptOutcome,
    private readonly rotation: SupplierRotationRepository,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {
    super('DeliveryWorker', settings.workerIntervalMs);
  }

  async tick(): Promise<'more' | 'idle'> {
    const { workerConcurrency, jobLeaseMs } = this.settings;
    const claimed = await this.dataSource.transaction((manager) =>
      this.jobs.claimDue(manager, workerConcurrency, jobLeaseMs),
    );
    await Promise.all(claimed.map((job) => this.run(job)));
    return claimed.length === workerConcurrency ? 'more' : 'idle';
  }

  /**
   * Renews the lease every third of it while the attempt runs, so a slow attempt is never taken over;
   * a dead process stops renewing and its job is claimed again once the lease runs out.
   */
  private keepClaim(job: DeliveryJob): NodeJS.Timeout {
    const { jobLeaseMs } = this.settings;
    return setInterval(
      () => {
        this.jobs
          .extendLease(this.dataSource.manager, job.orderId, job.claimToken ?? '', jobLeaseMs)
          .catch((error: Error) =>
            this.logger.warn(`order ${job.orderId}: lease not renewed: ${error.message}`),
          );
      },
      Math.max(100, Math.floor(jobLeaseMs / 3)),
    );
  }

  /** Unknown outcomes given up on, kept for reconciliation with the supplier (and counted, and logged). */
  private async recordAbandoned(
    manager: EntityManager,
    job: DeliveryJob,
    suppliers: string[],
  ): Promise<void> {
    for (const supplierId of suppliers) {
      await manager.query(
        `INSERT INTO delivery.abandoned_purchases (order_id, supplier_id, idempotency_key) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING`,
        [job.orderId, supplierId, job.idempotencyKey],
      );
      abandonedPurchases.inc({ supplier: supplierId });
      this.logger.warn(
        `order ${job.orderId}: ${supplierId} never said whether it sold (key ${job.idempotencyKey}); delivered from a backup, to reconcile`,
      );
    }
  }

  /** One attempt, in the order's trace (the context stored with the job), linked to the worker's poll. */
  private run(job: DeliveryJob): Promise<void> {
    const poll = trace.getSpanContext(context.active());
    const links = poll ? [{ context: poll }] : [];
    return tracer.startActiveSpan(
      'delivery attempt',
      { links },
      restoreTraceContext(job.traceContext),
      async (span) => {
        span.setAttributes({ [SpanAttributes.orderId]: job.orderId, 'delivery.attempt': job.attempts });
        const heartbeat = this.keepClaim(job);
        try {
          const outOfRotation = await this.rotation.outOfRotation(this.dataSource.manager);
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
              noteStarted: (supplierId) =>
                this.jobs.noteStarted(this.dataSource.manager, job.orderId, supplierId),
            },
          );
          if (result.kind === 'bought') {
            span.setAttribute('delivery.served_by', result.supplierId);
            deliveryCrashPoint('worker.after-purchase');
          }
          const keyIds = result.kind === 'bought' ? result.purchase.keys.map(() => randomUUID()) : [];
          await this.dataSource.transaction(async (manager) => {
            await this.outcome.record(manager, job, result, keyIds);
            if (result.kind === 'bought') await this.recordAbandoned(manager, job, result.abandoned);
          });
        } catch (error) {
          // The lease runs out and the job is claimed again; the idempotency key makes that safe.
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
          this.logger.error(
            `order ${job.orderId}: attempt ${job.attempts} broke off: ${(error as Error).message}`,
          );
        } finally {
          clearInterval(heartbeat);
          span.end();
        }
      },
    );
  }
}
