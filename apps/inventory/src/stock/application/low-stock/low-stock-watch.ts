import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { lowStockTransition, supplierAvailable } from '../../domain/low-stock';
import { CardKeyRepository } from '../../infrastructure/card-key.repository';
import { sendLowStockNotice } from '../../infrastructure/low-stock-notices';
import { SkuRepository } from '../../infrastructure/sku.repository';
import { StockEvents } from '../stock-events';

/**
 * The low-stock alarm of a SKU. Orders only `noteChange` (a NOTIFY, no lock, no count); the alarm itself
 * is `evaluate`d off the order path by LowStockWorker, or inline by rare operator changes. An evaluation
 * locks the SKU row first and counts after, so evaluations by several replicas are judged one at a time
 * against committed counts: a crossing can be neither missed nor reported twice.
 */
@Injectable()
export class LowStockWatch {
  private readonly logger = new Logger('LowStock');

  constructor(
    private readonly skus: SkuRepository,
    private readonly keys: CardKeyRepository,
    private readonly events: StockEvents,
  ) {}

  /**
   * On an order's transaction: the SKU's available stock went down (`lowered`: reserve, re-reserve) or up
   * (release, expiry). The workers of every replica hear it once the transaction commits.
   */
  async noteChange(manager: EntityManager, sku: string, { lowered }: { lowered: boolean }): Promise<void> {
    await sendLowStockNotice(manager, { sku, lowered });
  }

  /**
   * May fire or re-arm. Looks that no lowering change asked for (import, release, SKU definition) pass
   * `{ fire: false }`: they can re-arm the alarm but never raise it, since no stock went down.
   */
  async evaluate(manager: EntityManager, sku: string, { fire = true } = {}): Promise<void> {
    // NO KEY UPDATE: evaluations (and limited supplier orders) queue on it; unlimited SKUs' orders do not.
    const record = await this.skus.find(manager, sku, { lock: 'no key update' });
    if (!record) return;
    // Counting up to the threshold is enough to tell below from not below, and exact when below:
    // O(threshold) index entries, not the whole pool.
    const available =
      record.source === 'pool'
        ? await this.keys.countAvailable(manager, sku, record.lowStockThreshold)
        : supplierAvailable(record);
    const transition = lowStockTransition({
      armed: record.lowStockArmed,
      threshold: record.lowStockThreshold,
      available,
    });
    if (transition === 'none' || (transition === 'cross' && !fire)) return;
    await this.skus.setLowStockArmed(manager, sku, transition === 'rearm');
    if (transition === 'cross') {
      this.logger.warn(`${sku}: ${available} available, below the threshold ${record.lowStockThreshold}`);
      await this.events.low(manager, { sku, available: available ?? 0, threshold: record.lowStockThreshold });
    }
  }
}
