import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ExecuteOrderCommand } from '../execute-order-command';
import { ORDERS_SETTINGS, type OrdersSettings } from '../orders-settings';

/**
 * Cancels unpaid orders once their reservation expired (OrderCancelled → inventory releases the stock).
 * Driven by the durable expires_at in the read model, not by in-memory timers, so a restart loses nothing;
 * SKIP LOCKED lets several instances share the work, and the stream's optimistic concurrency makes a
 * cancellation racing a late payment safe (one of them is retried against the new state).
 */
@Injectable()
export class ExpiredOrderCanceller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ExpiredOrderCanceller');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly execute: ExecuteOrderCommand,
    @Inject(ORDERS_SETTINGS) private readonly settings: OrdersSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.cancelExpired()
        .catch((error: Error) => {
          this.logger.warn(`scan failed: ${error.message}`);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.settings.expiryScanSeconds * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: cancels up to `limit` expired unpaid orders, each in its own transaction. */
  async cancelExpired(limit = 100): Promise<number> {
    let cancelled = 0;
    for (let i = 0; i < limit; i++) {
      const done = await this.dataSource.transaction(async (manager) => {
        const [row]: Array<{ order_id: string }> = await manager.query(
          `SELECT order_id FROM orders.order_view
            WHERE status = 'awaiting-payment' AND expires_at <= clock_timestamp()
            ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!row) return false;
        await this.execute.execute(manager, row.order_id, {
          type: 'CancelUnpaidOrder',
          data: { now: new Date().toISOString() },
        });
        return true;
      });
      if (!done) break;
      cancelled += 1;
    }
    if (cancelled > 0) this.logger.log(`cancelled ${cancelled} unpaid orders past their reservation`);
    return cancelled;
  }
}
