import { DEMO_PRODUCTS, type DemoProduct } from './demo-catalog';

export interface DriverEndpoints {
  ordersUrl: string;
  sandboxUrl: string;
}

/** What the buyer side saw of one order (wall-clock ms). */
export interface DrivenOrder {
  orderId?: string;
  sku: string;
  checkoutAt: number;
  placedAt?: number;
  paidAt?: number;
  /** Why the buyer could not check out or pay, e.g. `checkout HTTP 409: …`. */
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plays buyers: checks out through orders' public API and pays at the sandbox provider's cashier, exactly as
 * a browser would (the pay URL redirects to the cashier once payment-callback has opened the payment). The
 * provider then sends its signed callback to payment-callback, or drops it when told to.
 */
export class OrderDriver {
  readonly orders: DrivenOrder[] = [];
  private sequence = 0;

  constructor(
    private readonly endpoints: DriverEndpoints,
    private readonly products: readonly DemoProduct[] = DEMO_PRODUCTS,
    private readonly runId = Date.now().toString(36),
  ) {}

  /** One buyer: checkout, then pay. Never throws: failures are recorded on the order. */
  async buy(): Promise<DrivenOrder> {
    const n = this.sequence++;
    const product = this.products[n % this.products.length];
    const order: DrivenOrder = { sku: product.sku, checkoutAt: Date.now() };
    this.orders.push(order);
    try {
      const checkout = await fetch(`${this.endpoints.ordersUrl}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `load-${this.runId}-${n}` },
        body: JSON.stringify({
          sku: product.sku,
          quantity: 1,
          // One address per buyer: the velocity rules would (rightly) send a single address's 300 orders to review.
          email: `buyer-${this.runId}-${n}@example.com`,
          paymentChannel: n % 5 === 4 ? 'wechat' : 'alipay',
        }),
      });
      if (checkout.status !== 201) {
        order.error = `checkout HTTP ${checkout.status}: ${(await checkout.text()).slice(0, 200)}`;
        return order;
      }
      const placed = (await checkout.json()) as { orderId: string; payUrl: string };
      order.orderId = placed.orderId;
      order.placedAt = Date.now();
      const paymentId = await this.cashierOf(placed.payUrl);
      const pay = await fetch(`${this.endpoints.sandboxUrl}/sandbox/pay/${paymentId}`, { method: 'POST' });
      if (!pay.ok) {
        order.error = `pay HTTP ${pay.status}: ${(await pay.text()).slice(0, 200)}`;
        return order;
      }
      order.paidAt = Date.now();
    } catch (error) {
      order.error = `buyer: ${(error as Error).message}`;
    }
    return order;
  }

  /** The pay URL answers 302 to the cashier once the payment exists (usually within milliseconds). */
  private async cashierOf(payUrl: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    let delay = 20;
    for (;;) {
      const response = await fetch(payUrl, { redirect: 'manual' });
      if (response.status === 302) return response.headers.get('location')!.split('/').pop()!;
      await response.body?.cancel();
      if (Date.now() > deadline) throw new Error(`pay URL still ${response.status} after 60 s`);
      await sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
  }
}
