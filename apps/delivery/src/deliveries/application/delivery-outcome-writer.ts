import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { BatchWriter, type InItsContext } from '@keyflow/service-kit';

import { type DeliveryJob } from '../infrastructure/delivery-job.repository';
import { abandonedPurchases } from '../infrastructure/suppliers/breaker-metrics';
import { RecordAttemptOutcome } from './record-attempt-outcome';
import { type PurchaseOutcome } from './supplier-purchaser';

export interface AttemptOutcome {
  job: DeliveryJob;
  result: PurchaseOutcome;
  keyIds: string[];
  /** Set once recorded, when the job was rescheduled. */
  dueAgainAt?: string;
}

/** Outcomes that arrive within this of each other share a transaction (the first waits at most this long). */
const LINGER_MS = 5;

/**
 * Records the outcomes of concurrent delivery attempts in shared transactions: those that finish together
 * (or while the previous transaction commits) are written in one, each with its events, so a tick of N
 * deliveries costs about one commit instead of N. Each outcome still checks its own claim; if one of them
 * fails, the others are recorded again one by one and commit without it (its lease runs out and the
 * supplier is asked again under the same idempotency key).
 */
@Injectable()
export class DeliveryOutcomeWriter {
  private readonly logger = new Logger('DeliveryOutcome');
  private readonly writer: BatchWriter<AttemptOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outcome: RecordAttemptOutcome,
  ) {
    this.writer = new BatchWriter((outcomes, inItsContext) => this.write(outcomes, inItsContext), {
      lingerMs: LINGER_MS,
    });
  }

  /** Resolves once this outcome is committed. */
  submit(outcome: AttemptOutcome): Promise<void> {
    return this.writer.submit(outcome);
  }

  private async write(outcomes: AttemptOutcome[], inItsContext: InItsContext): Promise<void> {
    const dueAgain = await this.dataSource.transaction(async (manager) => {
      const due: Array<string | undefined> = [];
      for (const [index, { job, result, keyIds }] of outcomes.entries()) {
        // In the job's own trace and order: its events carry that trace, its log lines that order.
        due.push(
          await inItsContext(index, async () => {
            const dueAt = await this.outcome.record(manager, job, result, keyIds);
            if (result.kind === 'bought') await this.recordAbandoned(manager, job, result.abandoned);
            return dueAt;
          }),
        );
      }
      return due;
    });
    outcomes.forEach((outcome, i) => (outcome.dueAgainAt = dueAgain[i]));
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
}
