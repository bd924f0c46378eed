import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { CardKeyRepository } from '../infrastructure/card-key.repository';
import { type Reservation, ReservationRepository } from '../infrastructure/reservation.repository';
import { SkuRepository } from '../infrastructure/sku.repository';
import { UnopenableBatches } from './unopenable-batches';

/**
 * Takes and gives back the stock behind a reservation, for both sources: pool keys (locked with SKIP
 * LOCKED, all or none) or a count against the supplier limit (one conditional UPDATE).
 */
@Injectable()
export class StockReserver {
  constructor(
    private readonly keys: CardKeyRepository,
    private readonly skus: SkuRepository,
    private readonly reservations: ReservationRepository,
    private readonly unopenable: UnopenableBatches,
  ) {}

  async take(manager: EntityManager, reservation: Reservation): Promise<boolean> {
    if (reservation.source === 'supplier') {
      return this.skus.reserveSupplier(manager, reservation.sku, reservation.quantity);
    }
    const taken = await this.keys.reserve(
      manager,
      reservation.sku,
      reservation.reservationId,
      reservation.quantity,
      this.unopenable.batchIds,
    );
    if (taken.length < reservation.quantity) {
      // Not enough for the whole order: put back what was taken, still inside this transaction.
      if (taken.length > 0) await this.keys.unreserve(manager, reservation.reservationId);
      return false;
    }
    await this.reservations.recordKeys(manager, reservation.reservationId, taken);
    return true;
  }

  async giveBack(manager: EntityManager, reservation: Reservation): Promise<void> {
    if (reservation.source === 'supplier') {
      await this.skus.releaseSupplier(manager, reservation.sku, reservation.quantity);
      return;
    }
    await this.keys.unreserve(manager, reservation.reservationId);
    await this.reservations.releaseKeys(manager, reservation.reservationId);
  }
}
