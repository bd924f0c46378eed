import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type StockSource } from '@keyflow/contracts';

import { type ReservationStatus } from '../domain/reservation-policy';

export interface Reservation {
  reservationId: string;
  orderId: string;
  sku: string;
  quantity: number;
  source: StockSource;
  status: ReservationStatus;
  expiresAt: string;
}

/** One reservation per order, its durable expiry, and which keys it held when. */
@Injectable()
export class ReservationRepository {
  /**
   * Claims the order's reservation slot. The unique order_id makes this the point where a replayed or
   * concurrent OrderPlaced for the same order stops: false means a decision already exists.
   */
  async insertIfNew(manager: EntityManager, reservation: Reservation): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO "inventory".reservations (reservation_id, order_id, sku, quantity, source, status, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING reservation_id`,
      [
        reservation.reservationId,
        reservation.orderId,
        reservation.sku,
        reservation.quantity,
        reservation.source,
        reservation.status,
        reservation.expiresAt,
      ],
    );
    return rows.length === 1;
  }

  async lockByOrder(manager: EntityManager, orderId: string): Promise<Reservation | undefined> {
    const rows: ReservationRow[] = await manager.query(
      `SELECT * FROM "inventory".reservations WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0] && toReservation(rows[0]);
  }

  /** Active reservations past their expiry; SKIP LOCKED so several instances sweep without overlap. */
  async lockExpired(manager: EntityManager, limit: number): Promise<Reservation[]> {
    const rows: ReservationRow[] = await manager.query(
      `SELECT * FROM "inventory".reservations
       WHERE status = 'active' AND expires_at <= now()
       ORDER BY expires_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toReservation);
  }

  /** How long until the next active reservation expires; undefined when none is held. */
  async nextExpiryInMs(manager: EntityManager): Promise<number | undefined> {
    const [row]: Array<{ ms: number | null }> = await manager.query(
      `SELECT (EXTRACT(EPOCH FROM min(expires_at) - now()) * 1000)::float8 AS ms
       FROM "inventory".reservations WHERE status = 'active'`,
    );
    return row?.ms ?? undefined;
  }

  async setStatus(
    manager: EntityManager,
    reservationId: string,
    status: ReservationStatus,
    reason: string | null = null,
  ): Promise<void> {
    await manager.query(
      `UPDATE "inventory".reservations SET status = $2, reason = $3, updated_at = now()
       WHERE reservation_id = $1`,
      [reservationId, status, reason],
    );
  }

  async recordKeys(manager: EntityManager, reservationId: string, keyIds: string[]): Promise<void> {
    await manager.query(
      `INSERT INTO "inventory".reservation_keys (reservation_id, key_id)
       SELECT $1, unnest($2::uuid[])
       ON CONFLICT (reservation_id, key_id) DO UPDATE SET reserved_at = clock_timestamp(), released_at = NULL`,
      [reservationId, keyIds],
    );
  }

  async releaseKeys(manager: EntityManager, reservationId: string): Promise<void> {
    await manager.query(
      `UPDATE "inventory".reservation_keys SET released_at = clock_timestamp()
       WHERE reservation_id = $1 AND released_at IS NULL`,
      [reservationId],
    );
  }
}

interface ReservationRow {
  reservation_id: string;
  order_id: string;
  sku: string;
  quantity: number;
  source: StockSource;
  status: ReservationStatus;
  expires_at: Date;
}

function toReservation(row: ReservationRow): Reservation {
  return {
    reservationId: row.reservation_id,
    orderId: row.order_id,
    sku: row.sku,
    quantity: row.quantity,
    source: row.source,
    status: row.status,
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
