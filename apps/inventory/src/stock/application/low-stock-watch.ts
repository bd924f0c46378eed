import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { lowStockTransition } from '../domain/low-stock';
import { SkuRepository } from '../infrastructure/sku.repository';
import { StockEvents } from './stock-events';

/**
 * Evaluates the low-stock alarm after a stock change, in the same transaction. The SKU row is locked
 * first and the level counted after, so concurrent changes are judged one at a time against committed
 * counts: a crossing can be neither missed nor reported twice.
 */
@Injectable()
export class LowStockWatch {
  private readonly logger = new Logger('LowStock');

  constructor(
    private readonly skus: SkuRepository,
    private readonly events: StockEvents,
  ) {}

  /**
   * After a change that may lower available stock (reserve, re-reserve): may fire or re-arm. Changes that
   * only raise stock or move the threshold (import, release, SKU definition) pass `{ fire: false }`:
   * they can re-arm the alarm but never raise it, since no stock went down.
   */
  async afterChange(manager: EntityManager, sku: string, { fire = true } = {}): Promise<void> {
    const record = await this.skus.find(manager, sku, { lock: true });
    if (!record) return;
    const [level] = await this.skus.levels(manager, sku);
    if (!level) return;
    const transition = lowStockTransition({
      armed: record.lowStockArmed,
      threshold: record.lowStockThreshold,
      available: level.available,
    });
    if (transition === 'none' || (transition === 'cross' && !fire)) return;
    await this.skus.setLowStockArmed(manager, sku, transition === 'rearm');
    if (transition === 'cross') {
      this.logger.warn(
        `${sku}: ${level.available} available, below the threshold ${record.lowStockThreshold}`,
      );
      await this.events.low(manager, {
        sku,
        available: level.available ?? 0,
        threshold: record.lowStockThreshold,
      });
    }
  }
}
