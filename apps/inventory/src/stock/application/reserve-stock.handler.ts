import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderPlacedV1 } from '@keyflow/contracts';

import { INVENTORY_SETTINGS, type InventorySettings } from '../config/inventory-settings';
import { canRunLow } from '../domain/low-stock';
import { reservationExpiry } from '../domain/reservation-policy';
import { type Reservation, ReservationRepository } from '../infrastructure/reservation.repository';
import { lockOrder, takeParkedApproval } from '../infrastructure/order-lock';
import { SkuRepository } from '../infrastructure/sku.repository';
import { CommitStockHandler } from './commit-stock.handler';
import { LowStockWatch } from './low-stock/low-stock-watch';
import { StockEvents } from './stock-events';
import { StockReserver } from './stock-reserver';

/** OrderPlaced → hold the order's stock until its expiry → StockReserved, or StockUnavailable. */
@Injectable()
export class ReserveStockHandler {
  private readonly logger = new Logger('ReserveStock');

  constructor(
    private readonly skus: SkuRepository,
    private readonly reservations: ReservationRepository,
    private readonly reserver: StockReserver,
    private readonly lowStock: LowStockWatch,
    private readonly events: StockEvents,
    private readonly commitStock: CommitStockHandler,
    @Inject(INVENTORY_SETTINGS) private readonly settings: InventorySettings,
  ) {}

  async handle(manager: EntityManager, order: OrderPlacedV1): Promise<void> {
    await lockOrder(manager, order.orderId);
    const line = { orderId: order.orderId, sku: order.sku, quantity: order.quantity };
    const sku = await this.skus.find(manager, order.sku);
    const reservation: Reservation = {
      reservationId: randomUUID(),
      orderId: order.orderId,
      sku: order.sku,
      quantity: order.quantity,
      source: sku?.source ?? 'pool',
      status: 'active',
      expiresAt: reservationExpiry(
        new Date(order.expiresAt),
        new Date(),
        sku?.reservationSeconds ?? this.settings.reservationMaxSeconds,
      ).toISOString(),
    };
    if (!(await this.reservations.insertIfNew(manager, reservation))) {
      this.logger.log(`order ${order.orderId}: already decided, OrderPlaced replay ignored`);
      return;
    }
    const reason = !sku
      ? `INVENTORY.UNKNOWN_SKU: ${order.sku} is not stocked`
      : (await this.reserver.take(manager, reservation))
        ? undefined
        : `INVENTORY.OUT_OF_STOCK: fewer than ${order.quantity} of ${order.sku} available`;
    // One line per decision, like the other stages': an operator grepping an order_id sees inventory's part.
    this.logger.log(
      reason
        ? `order ${order.orderId}: ${order.quantity} × ${order.sku} not reserved: ${reason}`
        : `order ${order.orderId}: reserved ${order.quantity} × ${order.sku} (${reservation.source})`,
    );
    if (reason) {
      await this.reservations.setStatus(manager, reservation.reservationId, 'unavailable', reason);
      await this.events.unavailable(manager, { ...line, reason });
      await takeParkedApproval(manager, order.orderId); // nothing to commit: orders refunds on StockUnavailable
      return;
    }
    await this.events.reserved(manager, {
      ...line,
      reservationId: reservation.reservationId,
      source: reservation.source,
      expiresAt: reservation.expiresAt,
    });
    // No SKU row lock and no count here: the alarm is evaluated by LowStockWorker after this commits.
    if (canRunLow(sku!)) await this.lowStock.noteChange(manager, order.sku, { lowered: true });
    if (await takeParkedApproval(manager, order.orderId)) {
      await this.commitStock.commit(manager, reservation);
    }
  }
}
