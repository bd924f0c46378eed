import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { shouldRelease } from '../domain/reservation-policy';
import { type Reservation, ReservationRepository } from '../infrastructure/reservation.repository';
import { LowStockWatch } from './low-stock/low-stock-watch';
import { StockEvents } from './stock-events';
import { StockReserver } from './stock-reserver';

/** Gives a reservation's stock back (order cancelled, or hold expired) → StockReleased. */
@Injectable()
export class ReleaseStockHandler {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly reserver: StockReserver,
    private readonly lowStock: LowStockWatch,
    private readonly events: StockEvents,
  ) {}

  /** For OrderCancelled: anything but an active reservation (none, sold, released) is left as it is. */
  async releaseOrder(manager: EntityManager, orderId: string, reason: string): Promise<boolean> {
    const reservation = await this.reservations.lockByOrder(manager, orderId);
    if (!reservation || !shouldRelease(reservation.status)) return false;
    await this.releaseLocked(manager, reservation, reason);
    await this.lowStock.noteChange(manager, reservation.sku, { lowered: false });
    return true;
  }

  /** The caller holds the reservation's row lock and notes the SKU's change afterwards (once per SKU). */
  async releaseLocked(manager: EntityManager, reservation: Reservation, reason: string): Promise<void> {
    await this.reserver.giveBack(manager, reservation);
    await this.reservations.setStatus(manager, reservation.reservationId, 'released', reason);
    await this.events.released(manager, {
      orderId: reservation.orderId,
      sku: reservation.sku,
      quantity: reservation.quantity,
      reservationId: reservation.reservationId,
      reason,
    });
  }
}
