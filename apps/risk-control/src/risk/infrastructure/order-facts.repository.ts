import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { emailDomain, type OrderFacts, type OrderHistory } from '../domain/order-facts';
import { velocityWindow } from '../domain/velocity';

interface FactsRow {
  order_id: string;
  email: string;
  payment_channel: string;
  amount_minor: string;
  currency: string;
  sku: string;
  quantity: number;
  client_ip: string | null;
  device_id: string | null;
  placed_at: Date;
}

/** Order facts from order.placed.v1, and the velocity counts taken over them with SQL. */
@Injectable()
export class OrderFactsRepository {
  /** First write wins: a redelivered or replayed OrderPlaced changes nothing. */
  async record(manager: EntityManager, facts: OrderFacts): Promise<void> {
    await manager.query(
      `INSERT INTO risk.order_facts (order_id, email, email_domain, payment_channel, amount_minor, currency, sku,
         quantity, client_ip, device_id, placed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (order_id) DO NOTHING`,
      [
        facts.orderId,
        facts.email,
        emailDomain(facts.email),
        facts.paymentChannel,
        facts.amountMinor,
        facts.currency,
        facts.sku,
        facts.quantity,
        facts.clientIp ?? null,
        facts.deviceId ?? null,
        facts.placedAt,
      ],
    );
  }

  async find(manager: EntityManager, orderId: string): Promise<OrderFacts | undefined> {
    const [row]: FactsRow[] = await manager.query(`SELECT * FROM risk.order_facts WHERE order_id = $1`, [
      orderId,
    ]);
    return row ? toFacts(row) : undefined;
  }

  /**
   * Other orders by the same email / IP / device placed in the velocity window ending at this order's
   * placement, and whether the email ordered ever before. IP and device are counted only when known.
   */
  async history(manager: EntityManager, facts: OrderFacts, windowSeconds: number): Promise<OrderHistory> {
    const { from, to } = velocityWindow(facts.placedAt, windowSeconds);
    const [row]: Array<{ email_window: number; ip_window: number; device_window: number; earlier: number }> =
      await manager.query(
        `SELECT
           count(*) FILTER (WHERE email = $2 AND placed_at > $3 AND placed_at <= $4)::int AS email_window,
           count(*) FILTER (WHERE client_ip = $5 AND placed_at > $3 AND placed_at <= $4)::int AS ip_window,
           count(*) FILTER (WHERE device_id = $6 AND placed_at > $3 AND placed_at <= $4)::int AS device_window,
           count(*) FILTER (WHERE email = $2 AND placed_at <= $4)::int AS earlier
         FROM risk.order_facts
         WHERE order_id <> $1 AND (email = $2 OR client_ip = $5 OR device_id = $6)`,
        [facts.orderId, facts.email, from, to, facts.clientIp ?? null, facts.deviceId ?? null],
      );
    return {
      emailOrdersInWindow: row?.email_window ?? 0,
      earlierOrdersByEmail: row?.earlier ?? 0,
      ...(facts.clientIp ? { ipOrdersInWindow: row?.ip_window ?? 0 } : {}),
      ...(facts.deviceId ? { deviceOrdersInWindow: row?.device_window ?? 0 } : {}),
    };
  }
}

function toFacts(row: FactsRow): OrderFacts {
  return {
    orderId: row.order_id,
    email: row.email,
    paymentChannel: row.payment_channel,
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    sku: row.sku,
    quantity: row.quantity,
    placedAt: new Date(row.placed_at).toISOString(),
    ...(row.client_ip ? { clientIp: row.client_ip } : {}),
    ...(row.device_id ? { deviceId: row.device_id } : {}),
  };
}
