import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface BuyerFacts {
  orderId: string;
  email: string;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  placedAt: string;
}

/** What order.placed.v1 told us about the buyer and the product; the first record of an order stands. */
@Injectable()
export class OrderFactsRepository {
  async record(manager: EntityManager, facts: BuyerFacts): Promise<void> {
    await manager.query(
      `INSERT INTO notification.order_facts (order_id, email, sku, quantity, amount_minor, currency, placed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id) DO NOTHING`,
      [
        facts.orderId,
        facts.email,
        facts.sku,
        facts.quantity,
        facts.total.amountMinor,
        facts.total.currency,
        facts.placedAt,
      ],
    );
  }

  async exists(manager: EntityManager, orderId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM notification.order_facts WHERE order_id = $1`,
      [orderId],
    );
    return rows.length > 0;
  }
}
