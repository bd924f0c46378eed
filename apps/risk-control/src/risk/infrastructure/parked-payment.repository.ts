import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { returnedRows } from '@keyflow/service-kit';

/** What an assessment needs from the payment: when it was confirmed (decision latency starts there). */
export interface ConfirmedPayment {
  orderId: string;
  paymentId: string;
  confirmedAt: string;
}

/** Payments confirmed before their order's facts arrived, kept durably until OrderPlaced comes. */
@Injectable()
export class ParkedPaymentRepository {
  async park(manager: EntityManager, payment: ConfirmedPayment): Promise<void> {
    await manager.query(
      `INSERT INTO risk.parked_payments (order_id, payment_confirmed_at, payment) VALUES ($1, $2, $3)
       ON CONFLICT (order_id) DO NOTHING`,
      [payment.orderId, payment.confirmedAt, JSON.stringify({ paymentId: payment.paymentId })],
    );
  }

  /** Removes and returns the parked payment, in the transaction that assesses it. */
  async take(manager: EntityManager, orderId: string): Promise<ConfirmedPayment | undefined> {
    const [row] = returnedRows<{ payment_confirmed_at: Date; payment: { paymentId: string } }>(
      await manager.query(
        `DELETE FROM risk.parked_payments WHERE order_id = $1 RETURNING payment_confirmed_at, payment`,
        [orderId],
      ),
    );
    return row
      ? {
          orderId,
          paymentId: row.payment.paymentId,
          confirmedAt: new Date(row.payment_confirmed_at).toISOString(),
        }
      : undefined;
  }
}
