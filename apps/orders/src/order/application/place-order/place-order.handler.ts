import { createHash, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { payUrlOf, signPayLink } from '@keyflow/contracts';
import { captureTraceContext } from '@keyflow/messaging';
import { tagOrder } from '@keyflow/observability';
import { OrderAccessTokens } from '@keyflow/service-kit';

import { decide } from '../../domain/order.decider';
import { findProduct } from '../../infrastructure/products.repository';
import { OrderRepository } from '../../infrastructure/order.repository';
import { ORDERS_SETTINGS, type OrdersSettings } from '../orders-settings';
import { IdempotencyKeyReusedError, UnknownProductError } from './checkout.errors';
import { type PlaceOrderDto } from './place-order.dto';

export interface CheckoutResult {
  orderId: string;
  status: 'awaiting-payment';
  amount: { amountMinor: number; currency: string };
  expiresAt: string;
  payUrl: string;
  statusUrl: string;
  /** The buyer's status page (the console's /order/:id), when ORDER_STATUS_PAGE_URL is set. */
  statusPageUrl?: string;
  accessToken: string;
}

/**
 * Checkout: prices the order from the shop's price list and appends OrderPlaced (published through the
 * outbox). With an Idempotency-Key, the key is claimed in the same transaction: a retry with the same body
 * gets the first response (and the same order), a different body with the same key is refused.
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderRepository,
    private readonly tokens: OrderAccessTokens,
    @Inject(ORDERS_SETTINGS) private readonly settings: OrdersSettings,
  ) {}

  async execute(
    request: PlaceOrderDto,
    idempotencyKey?: string,
  ): Promise<{ result: CheckoutResult; replayed: boolean }> {
    // The checkout request starts the order's trace: every span of it carries the new order's id.
    const orderId = randomUUID();
    tagOrder(orderId);
    return this.dataSource.transaction(async (manager) => {
      if (idempotencyKey) {
        const previous = await this.claimKey(manager, idempotencyKey, request, orderId);
        if (previous) {
          tagOrder(previous.orderId);
          return { result: previous, replayed: true };
        }
      }
      const result = await this.place(manager, orderId, request);
      if (idempotencyKey) {
        await manager.query(`UPDATE orders.checkout_requests SET response = $2 WHERE idempotency_key = $1`, [
          idempotencyKey,
          JSON.stringify(result),
        ]);
      }
      return { result, replayed: false };
    });
  }

  private async place(
    manager: EntityManager,
    orderId: string,
    request: PlaceOrderDto,
  ): Promise<CheckoutResult> {
    const product = await findProduct(manager, request.sku);
    if (!product || !product.active) throw new UnknownProductError(request.sku);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.settings.reservationMinutes * 60_000).toISOString();
    const total = { amountMinor: product.unitPriceMinor * request.quantity, currency: product.currency };
    const loaded = await this.orders.load(manager, orderId);
    const events = decide(
      {
        type: 'PlaceOrder',
        data: {
          orderId,
          sku: request.sku,
          quantity: request.quantity,
          total,
          buyer: { email: request.email },
          paymentChannel: request.paymentChannel,
          now: now.toISOString(),
          expiresAt,
        },
      },
      loaded.state,
    );
    await this.orders.append(manager, orderId, loaded, events);
    const accessToken = this.tokens.issue(orderId);
    // The pay URL carries the payment's facts signed by orders, so payment-callback can open the payment
    // the moment the buyer follows it, without waiting to read OrderPlaced off Kafka.
    const payLink = await signPayLink(
      {
        orderId,
        amount: total,
        paymentChannel: request.paymentChannel,
        expiresAt,
        traceContext: captureTraceContext(),
      },
      this.settings.payLinkSigningKey,
      now,
    );
    return {
      orderId,
      status: 'awaiting-payment',
      amount: total,
      expiresAt,
      payUrl: payUrlOf(this.settings.paymentPublicUrl, orderId, payLink),
      statusUrl: `${this.settings.ordersPublicUrl}/v1/orders/${orderId}?token=${accessToken}`,
      ...(this.settings.statusPageUrl
        ? { statusPageUrl: `${this.settings.statusPageUrl}/order/${orderId}?token=${accessToken}` }
        : {}),
      accessToken,
    };
  }

  /** Claims the key, or returns the first checkout's result when the same request is retried. */
  private async claimKey(
    manager: EntityManager,
    key: string,
    request: PlaceOrderDto,
    orderId: string,
  ): Promise<CheckoutResult | undefined> {
    const hash = createHash('sha256')
      .update(JSON.stringify([request.sku, request.quantity, request.email, request.paymentChannel]))
      .digest('hex');
    // A concurrent request with the same key waits here until the first one commits.
    const claimed: unknown[] = await manager.query(
      `INSERT INTO orders.checkout_requests (idempotency_key, request_hash, order_id, response)
       VALUES ($1, $2, $3, '{}'::jsonb) ON CONFLICT DO NOTHING RETURNING order_id`,
      [key, hash, orderId],
    );
    if (claimed.length === 1) return undefined;
    const [existing]: Array<{ request_hash: string; response: CheckoutResult }> = await manager.query(
      `SELECT request_hash, response FROM orders.checkout_requests WHERE idempotency_key = $1`,
      [key],
    );
    if (!existing || existing.request_hash !== hash) throw new IdempotencyKeyReusedError();
    return existing.response;
  }
}
