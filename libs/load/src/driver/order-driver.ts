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
  /** GETs of the pay URL until the cashier: 1 when the pay URL answered at once, as it should. */
  payUrlRequests?: number;
  /** Why the buyer could not check out or pay, e.g. `checkout HTTP 409: …`. */
  error?: string;
  /** Times checkout refused this buyer with 503 + Retry-After (admission control) and the buyer waited. */
  shedRetries?: number;
  /** The buyer was shed, honoured Retry-After as often as they would, and gave up: no order, no error. */
  gaveUpShed?: boolean;
}

/** How often a buyer comes back after being shed before giving up, as a patient person might. */
export const SHED_PATIENCE = 3;
/** The longest a buyer waits on one Retry-After (a real person's patience). */
const MAX_RETRY_AFTER_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A 503 with Retry-After: the server said when to come back (admission control), not that it failed. */
export const isShed = (response: Response): boolean =>
  response.status === 503 && response.headers.has('retry-after');

/**
 * Unavailable (connection refused, 5xx, 429): what a buyer's client waits out and tries again. A shed answer
 * (503 + Retry-After) is returned to the caller, who decides whether to come back when told.
 */
async function withRetries(call: () => Promise<Response>, patienceMs = 90_000): Promise<Response> {
  const deadline = Date.now() + patienceMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
    const response = await call().catch(() => undefined);
    const unavailable =
      !response || ((response.status >= 500 || response.status === 429) && !isShed(response));
    if (!unavailable || Date.now() + delay > deadline) {
      if (response) return response;
      throw new Error(`no answer for ${patienceMs / 1000} s`);
    }
    await response?.body?.cancel();
    await sleep(delay);
  }
}

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
      // A buyer's browser retries a failed checkout with the same Idempotency-Key, so a retry after an
      // outage (or a lost answer) is the same order, never a second one.
      const post = () =>
        fetch(`${this.endpoints.ordersUrl}/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `load-${this.runId}-${n}` },
          body: JSON.stringify({
            sku: product.sku,
            quantity: 1,
            // One address per buyer: the velocity rules would (rightly) send one address's 300 orders to review.
            email: `buyer-${this.runId}-${n}@example.com`,
            paymentChannel: n % 5 === 4 ? 'wechat' : 'alipay',
          }),
        });
      // Shed (503 + Retry-After): come back when told, a bounded number of times, then give up.
      let checkout = await withRetries(post);
      while (isShed(checkout)) {
        await checkout.body?.cancel();
        if ((order.shedRetries ?? 0) >= SHED_PATIENCE) {
          order.gaveUpShed = true;
          return order;
        }
        order.shedRetries = (order.shedRetries ?? 0) + 1;
        const seconds = Number(checkout.headers.get('retry-after'));
        await sleep(Math.min(MAX_RETRY_AFTER_MS, Number.isFinite(seconds) ? seconds * 1000 : 1000));
        checkout = await withRetries(post);
      }
      // 200: a retry (after a lost answer) replayed the first checkout, the same order.
      if (checkout.status !== 201 && checkout.status !== 200) {
        order.error = `checkout HTTP ${checkout.status}: ${(await checkout.text()).slice(0, 200)}`;
        return order;
      }
      const placed = (await checkout.json()) as { orderId: string; payUrl: string };
      order.orderId = placed.orderId;
      order.placedAt = Date.now();
      const paymentId = await this.cashierOf(placed.payUrl, order);
      const pay = await withRetries(() =>
        fetch(`${this.endpoints.sandboxUrl}/sandbox/pay/${paymentId}`, { method: 'POST' }),
      );
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

  /**
   * The buyer follows the pay URL once: it answers 302 to the cashier (the signed pay link lets
   * payment-callback open the payment on that first request). As a browser would, a 503/429 is retried
   * after its Retry-After (a 5xx without one, or no answer, after a second); a 4xx is an error the buyer
   * sees, never a reason to poll.
   */
  private async cashierOf(payUrl: string, order: DrivenOrder): Promise<string> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      order.payUrlRequests = (order.payUrlRequests ?? 0) + 1;
      const response = await fetch(payUrl, { redirect: 'manual' }).catch(() => undefined);
      if (response?.status === 302) return response.headers.get('location')!.split('/').pop()!;
      const body = (await response?.text().catch(() => '')) ?? '';
      // 4xx: the link is refused (invalid, expired, paid, rejected), so asking again changes nothing.
      if (response && response.status < 500 && response.status !== 429) {
        throw new Error(`pay URL answered ${response.status}: ${body.slice(0, 200)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          response ? `pay URL still ${response.status} after 120 s` : 'pay URL unreachable for 120 s',
        );
      }
      const retryAfterSeconds = Number(response?.headers.get('retry-after'));
      await sleep(
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : 1000,
      );
    }
  }
}
