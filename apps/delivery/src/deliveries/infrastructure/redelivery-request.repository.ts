import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface RedeliveryRequest {
  requestId: string;
  orderId: string;
  action: 'resend' | 'retry';
  requestedBy: string;
  requestedAt: string;
}

/** Operators' re-delivery requests: an audit trail, and the window that folds a click storm into one. */
@Injectable()
export class RedeliveryRequestRepository {
  /** Serialises requests for one order (transaction-scoped), so concurrent clicks queue, not race. */
  async lockOrder(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('delivery.redeliver:' || $1, 0))`, [
      orderId,
    ]);
  }

  async latestSince(
    manager: EntityManager,
    orderId: string,
    windowMs: number,
  ): Promise<RedeliveryRequest | undefined> {
    const rows: RequestRow[] = await manager.query(
      `SELECT * FROM delivery.redelivery_requests
       WHERE order_id = $1
         AND requested_at > clock_timestamp() - make_interval(secs => $2::double precision / 1000)
       ORDER BY requested_at DESC LIMIT 1`,
      [orderId, windowMs],
    );
    return rows[0] && toRequest(rows[0]);
  }

  async insert(
    manager: EntityManager,
    request: Omit<RedeliveryRequest, 'requestedAt'>,
  ): Promise<RedeliveryRequest> {
    const rows: RequestRow[] = await manager.query(
      `INSERT INTO delivery.redelivery_requests (request_id, order_id, action, requested_by)
       VALUES ($1, $2, $3, $4) RETURNING *`,
      [request.requestId, request.orderId, request.action, request.requestedBy],
    );
    return toRequest(rows[0]!);
  }

  async listFor(manager: EntityManager, orderId: string): Promise<RedeliveryRequest[]> {
    const rows: RequestRow[] = await manager.query(
      `SELECT * FROM delivery.redelivery_requests WHERE order_id = $1 ORDER BY requested_at`,
      [orderId],
    );
    return rows.map(toRequest);
  }
}

interface RequestRow {
  request_id: string;
  order_id: string;
  action: RedeliveryRequest['action'];
  requested_by: string;
  requested_at: Date;
}

function toRequest(row: RequestRow): RedeliveryRequest {
  return {
    requestId: row.request_id,
    orderId: row.order_id,
    action: row.action,
    requestedBy: row.requested_by,
    requestedAt: new Date(row.requested_at).toISOString(),
  };
}
