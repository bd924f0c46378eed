import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { PolledWorker, type TickResult, WorkWakeups } from '@keyflow/service-kit';

import { INVENTORY_SETTINGS, type InventorySettings } from '../../config/inventory-settings';
import { LOW_STOCK_CHANNEL, parseLowStockNotice } from '../../infrastructure/low-stock-notices';
import { SkuRepository } from '../../infrastructure/sku.repository';
import { LowStockChecks } from './low-stock-checks';
import { LowStockWatch } from './low-stock-watch';

/**
 * Evaluates the low-stock alarm off the order path. Orders' transactions only NOTIFY the SKU whose stock
 * they changed; every replica hears it and evaluates that SKU in a short transaction of its own (SKU row
 * lock, count, maybe StockLow) at most once per `lowStockMinGapMs`, so a peak of orders costs a handful
 * of evaluations per second instead of a lock and a count per order. Replicas evaluating the same SKU
 * queue on its row lock and the later one finds nothing left to do.
 * A notice lives only in memory and can be lost (a crash, a dropped LISTEN connection): every SKU is
 * evaluated at start, after the wake-up connection is back, and every `lowStockSweepMs`, as if it had
 * been lowered. SKUs are few, and each evaluation counts at most its threshold of keys.
 */
@Injectable()
export class LowStockWorker extends PolledWorker {
  private readonly logger = new Logger('LowStockWorker');
  private readonly checks: LowStockChecks;
  private sweepRequested = true;
  private lastSweepAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly skus: SkuRepository,
    private readonly watch: LowStockWatch,
    @Inject(INVENTORY_SETTINGS) private readonly settings: InventorySettings,
    wakeups: WorkWakeups,
  ) {
    super('LowStockWorker', settings.lowStockSweepMs, { wakeups, channel: LOW_STOCK_CHANNEL });
    this.checks = new LowStockChecks(settings.lowStockMinGapMs);
  }

  protected override heard(payload?: string): void {
    const notice = payload === undefined ? undefined : parseLowStockNotice(payload);
    if (notice) this.checks.note(notice.sku, notice.lowered);
    else this.sweepRequested = true; // notices may have been missed
    this.wake();
  }

  async tick(): Promise<TickResult> {
    if (this.sweepRequested || Date.now() - this.lastSweepAt >= this.settings.lowStockSweepMs) {
      const skus = await this.skus.list(this.dataSource.manager); // a failure leaves the sweep due
      for (const sku of skus) this.checks.note(sku.sku, true);
      this.sweepRequested = false;
      this.lastSweepAt = Date.now();
    }
    for (const { sku, mayFire } of this.checks.takeDue(Date.now())) {
      try {
        await this.dataSource.transaction((manager) => this.watch.evaluate(manager, sku, { fire: mayFire }));
      } catch (error) {
        this.checks.note(sku, mayFire); // again after the gap
        this.logger.warn(`${sku}: low-stock evaluation failed (${(error as Error).message}); retried`);
      }
    }
    const nextDueInMs = this.checks.nextDueInMs(Date.now());
    return nextDueInMs === undefined ? 'idle' : { nextDueInMs };
  }
}
