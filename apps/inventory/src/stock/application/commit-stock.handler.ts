import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type StockCommittedV1 } from '@keyflow/contracts';

import { InventoryError } from '../domain/inventory.errors';
import { canRunLow } from '../domain/low-stock';
import { commitAction } from '../domain/reservation-policy';
import { CardKeyRepository } from '../infrastructure/card-key.repository';
import { lockOrder, parkApproval } from '../infrastructure/order-lock';
import { type Reservation, ReservationRepository } from '../infrastructure/reservation.repository';
import { SkuRepository } from '../infrastructure/sku.repository';
import { KeySealer } from './key-sealer';
import { LowStockWatch } from './low-stock/low-stock-watch';
import { StockEvents } from './stock-events';
import { StockReserver } from './stock-reserver';

/**
 * RiskApproved → the reservation becomes a sale → StockCommitted with the pool keys sealed for delivery,
 * or the supplier route (suppliers in failover order + supplier SKU). A hold that lapsed while the buyer
 * paid is reserved again first; when that is impossible → StockUnavailable.
 */
@Injectable()
export class CommitStockHandler {
  private readonly logger = new Logger('CommitStock');

  constructor(
    private readonly reservations: ReservationRepository,
    private readonly skus: SkuRepository,
    private readonly keys: CardKeyRepository,
    private readonly reserver: StockReserver,
    private readonly sealer: KeySealer,
    private readonly lowStock: LowStockWatch,
    private readonly events: StockEvents,
  ) {}

  async handle(manager: EntityManager, orderId: string): Promise<void> {
    await lockOrder(manager, orderId);
    const reservation = await this.reservations.lockByOrder(manager, orderId);
    if (!reservation) {
      // RiskApproved overtook OrderPlaced (another topic): commit as soon as the reservation is made.
      await parkApproval(manager, orderId);
      this.logger.log(`order ${orderId}: approved before it was seen placed; the approval waits for it`);
      return;
    }
    await this.commit(manager, reservation);
  }

  /** Commits an existing reservation; the caller holds the order's lock. */
  async commit(manager: EntityManager, reservation: Reservation): Promise<void> {
    const orderId = reservation.orderId;
    const action = commitAction(reservation.status);
    if (action === 'already-committed') return;
    const line = { orderId, sku: reservation.sku, quantity: reservation.quantity };
    const sku = await this.skus.find(manager, reservation.sku);
    if (action === 're-reserve') {
      const retaken =
        sku && sku.source === reservation.source && (await this.reserver.take(manager, reservation));
      if (!retaken) {
        const reason = `INVENTORY.RESERVATION_LOST: the hold on ${reservation.sku} lapsed and it is no longer available`;
        await this.reservations.setStatus(manager, reservation.reservationId, 'unavailable', reason);
        await this.events.unavailable(manager, { ...line, reason });
        return;
      }
      if (canRunLow(sku!)) await this.lowStock.noteChange(manager, reservation.sku, { lowered: true });
    }
    const committed: StockCommittedV1 = {
      ...line,
      reservationId: reservation.reservationId,
      source: reservation.source,
      ...(reservation.source === 'pool'
        ? { keys: await this.sellPoolKeys(manager, reservation) }
        : { suppliers: sku!.suppliers, supplierSku: sku!.supplierSku ?? undefined }),
    };
    if (reservation.source === 'supplier') {
      await this.skus.commitSupplier(manager, reservation.sku, reservation.quantity);
    }
    await this.reservations.setStatus(manager, reservation.reservationId, 'committed');
    await this.events.committed(manager, committed);
  }

  private async sellPoolKeys(manager: EntityManager, reservation: Reservation) {
    const held = await this.keys.lockReserved(manager, reservation.reservationId);
    if (held.length !== reservation.quantity) {
      throw new InventoryError(
        'INVENTORY.RESERVATION_INCONSISTENT',
        `reservation ${reservation.reservationId} holds ${held.length} keys, expected ${reservation.quantity}`,
      );
    }
    const sealed = await this.sealer.sealForDelivery(manager, held);
    await this.keys.markSold(manager, reservation.reservationId, reservation.orderId);
    return sealed;
  }
}
