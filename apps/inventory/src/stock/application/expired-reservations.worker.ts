import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { INVENTORY_SETTINGS, type InventorySettings } from '../config/inventory-settings';
import { ReservationRepository } from '../infrastructure/reservation.repository';
import { PolledWorker, type TickResult } from '@keyflow/service-kit';
import { LowStockWatch } from './low-stock/low-stock-watch';
import { ReleaseStockHandler } from './release-stock.handler';

const BATCH = 50;
const MIN_GAP_MS = 1000;

/**
 * Releases reservations whose durable expires_at has passed → StockReleased (reason `expired`). Rows are
 * claimed with FOR UPDATE SKIP LOCKED, so several instances sweep in parallel without double releases,
 * and a commit racing the sweep waits on the same row lock and then sees the outcome. Between sweeps it
 * sleeps until the next reservation expires (read in the sweep's transaction); a reservation made
 * meanwhile is found by the next INVENTORY_EXPIRY_SCAN_MS poll at the latest.
 */
@Injectable()
export class ExpiredReservationsWorker extends PolledWorker {
  private readonly logger = new Logger('ExpiredReservations');

  constructor(
    private readonly dataSource: DataSource,
    private readonly reservations: ReservationRepository,
    private readonly release: ReleaseStockHandler,
    private readonly lowStock: LowStockWatch,
    @Inject(INVENTORY_SETTINGS) settings: InventorySettings,
  ) {
    super('ExpiredReservationsWorker', settings.expiryScanMs);
  }

  async tick(): Promise<TickResult> {
    const { released, nextExpiryInMs } = await this.dataSource.transaction(async (manager) => {
      const expired = await this.reservations.lockExpired(manager, BATCH);
      for (const reservation of expired) await this.release.releaseLocked(manager, reservation, 'expired');
      for (const sku of new Set(expired.map((r) => r.sku)))
        await this.lowStock.noteChange(manager, sku, { lowered: false });
      const nextExpiryInMs = expired.length < BATCH ? await this.reservations.nextExpiryInMs(manager) : 0;
      return { released: expired.length, nextExpiryInMs };
    });
    if (released > 0) this.logger.log(`released ${released} expired reservation(s)`);
    if (released === BATCH) return 'more';
    // At least a second apart: under load, reservations expiring one after another share a sweep.
    return nextExpiryInMs === undefined ? 'idle' : { nextDueInMs: Math.max(nextExpiryInMs, MIN_GAP_MS) };
  }
}
