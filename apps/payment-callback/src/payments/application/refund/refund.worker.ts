import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PaymentRefunded, type PaymentRefundedV1 } from '@keyflow/contracts';
import { EventStore, inOrderTrace } from '@keyflow/messaging';

import { PAYMENTS_CONFIG, type PaymentsConfig } from '../../config/payments.config';
import { nextAttemptDelaySeconds } from '../../domain/backoff';
import { outTradeNoOf } from '../../domain/out-trade-no';
import { REFUNDS_CHANNEL, type RefundJob, RefundRepository } from '../../infrastructure/refund.repository';
import { PolledWorker, type TickResult, WorkWakeups } from '@keyflow/service-kit';
import { paymentStreamOf } from '../confirm-payment/record-payment.handler';
import { PaymentProviderPort, ProviderCallError } from '../payment-provider.port';

const BATCH = 10;
const LEASE_SECONDS = 60;

/**
 * Calls the provider's refund API for due refund jobs with the order's idempotency key (so a retry after
 * a lost answer cannot refund twice), then marks the job refunded and appends PaymentRefunded together.
 */
@Injectable()
export class RefundWorker extends PolledWorker {
  private readonly logger = new Logger('Refund');

  constructor(
    private readonly dataSource: DataSource,
    private readonly refunds: RefundRepository,
    private readonly provider: PaymentProviderPort,
    private readonly events: EventStore,
    @Inject(PAYMENTS_CONFIG) config: PaymentsConfig,
    wakeups: WorkWakeups,
  ) {
    super('RefundWorker', config.workerPollMs, { wakeups, channel: REFUNDS_CHANNEL });
  }

  async tick(): Promise<TickResult> {
    const claimed = await this.refunds.claimDue(BATCH, LEASE_SECONDS);
    await Promise.all(
      claimed.map((job) =>
        inOrderTrace('payment refund', job.orderId, job.traceContext, () => this.refund(job)),
      ),
    );
    if (claimed.length === BATCH) return 'more';
    // Retries (and leases of refunds in flight elsewhere) are due later: sleep until the first of them.
    const nextDueInMs = await this.refunds.nextDueInMs();
    return nextDueInMs === undefined ? 'idle' : { nextDueInMs };
  }

  private async refund(job: RefundJob): Promise<void> {
    try {
      const { providerRefundId } = await this.provider.refund({
        provider: job.provider,
        outTradeNo: outTradeNoOf(job.orderId),
        amount: job.amount,
        idempotencyKey: job.idempotencyKey,
        reason: job.reason,
      });
      const refundedAt = new Date().toISOString();
      await this.dataSource.transaction(async (manager) => {
        if (!(await this.refunds.markRefunded(manager, job.orderId, providerRefundId, refundedAt))) return;
        const data: PaymentRefundedV1 = {
          orderId: job.orderId,
          paymentId: job.paymentId,
          amount: job.amount,
          refundedAt,
        };
        await this.events.append(manager, paymentStreamOf(job.orderId), 'any', [
          {
            type: PaymentRefunded.type,
            topic: PaymentRefunded.topic,
            subject: job.orderId,
            data: { ...data },
          },
        ]);
      });
    } catch (error) {
      if (error instanceof ProviderCallError && error.code === 'PROVIDER.REFUSED') {
        this.logger.error(`refund of order ${job.orderId} refused by the provider: ${error.message}`);
        await this.refunds.refuse(job.orderId, error.message);
        return;
      }
      const delay = nextAttemptDelaySeconds(job.attempts, 2, 300);
      this.logger.warn(
        `refund of order ${job.orderId} failed, retry in ${delay} s: ${(error as Error).message}`,
      );
      await this.refunds.retryLater(job.orderId, delay, (error as Error).message);
    }
  }
}
