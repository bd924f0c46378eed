import Stripe from 'stripe';

import {
  type CreatedPayment,
  type CreatePaymentRequest,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../../application/payment-provider.port';
import { type StripeApiConfig } from '../../config/payments.config';
import { type ChannelClient } from './channel-client';

/** Stripe Checkout accepts expires_at between 30 minutes and 24 hours from now. */
const MIN_SESSION_SECONDS = 31 * 60;
const MAX_SESSION_SECONDS = 23 * 3600;
const STEP_SECONDS = 300;

/**
 * The session's expires_at (unix seconds): the payment window's end, moved into Stripe's range. The
 * bounds are on five-minute steps, so a retry within the same step sends the same parameters (and reuses
 * the idempotency key) even when the window had to be stretched.
 */
export function sessionExpiry(wantedSeconds: number, nowSeconds: number): number {
  const earliest = Math.ceil((nowSeconds + MIN_SESSION_SECONDS) / STEP_SECONDS) * STEP_SECONDS;
  const latest = Math.floor((nowSeconds + MAX_SESSION_SECONDS) / STEP_SECONDS) * STEP_SECONDS;
  return Math.min(Math.max(Math.floor(wantedSeconds), earliest), latest);
}

/**
 * Stripe through the official SDK: a Checkout Session per order (its `url` is the cashier), the order's
 * PaymentIntent found by search on its metadata (active query, refunds), refunds with our idempotency key.
 * Our out_trade_no rides as `client_reference_id` and in the PaymentIntent's metadata with the order id,
 * which the webhook check reads back.
 */
export class StripeProviderClient implements ChannelClient {
  private readonly stripe: Stripe;

  constructor(
    private readonly config: StripeApiConfig,
    timeoutMs: number,
  ) {
    const url = config.apiUrl;
    this.stripe = new Stripe(config.secretKey.reveal().toString('utf8'), {
      timeout: timeoutMs,
      maxNetworkRetries: 1,
      telemetry: false,
      ...(url
        ? {
            host: url.hostname,
            port: url.port || (url.protocol === 'https:' ? 443 : 80),
            protocol: url.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
  }

  async create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const expiresAt = sessionExpiry(Date.parse(request.expiresAt) / 1000, Date.now() / 1000);
    const metadata = { order_id: request.orderId, out_trade_no: request.outTradeNo };
    const session = await call('create', () =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.outTradeNo,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.amount.currency.toLowerCase(),
                unit_amount: request.amount.amountMinor,
                product_data: { name: `Order ${request.orderId}` },
              },
            },
          ],
          payment_intent_data: { metadata },
          metadata,
          expires_at: expiresAt,
          success_url: this.config.successUrl,
        },
        // One session per order when a create is retried after a lost answer. Stripe refuses a key reused
        // with other parameters, so the key names the expiry too (stable for five minutes, see sessionExpiry).
        { idempotencyKey: `keyflow-session-${request.outTradeNo}-${expiresAt}` },
      ),
    );
    if (!session.url) throw new ProviderCallError('PROVIDER.UNAVAILABLE', 'checkout session has no url');
    return { providerPaymentId: session.id, cashierUrl: session.url };
  }

  async query(outTradeNo: string): Promise<ProviderPaymentStatus> {
    const intent = await this.intentOf(outTradeNo);
    // Checkout creates the PaymentIntent when the buyer pays: none yet is a payment still open.
    if (!intent) return { status: 'pending' };
    if (intent.status === 'canceled') return { status: 'closed' };
    if (intent.status !== 'succeeded') return { status: 'pending' };
    return {
      status: 'paid',
      providerTradeNo: intent.id,
      amount: { amountMinor: intent.amount_received, currency: intent.currency.toUpperCase() },
    };
  }

  async refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    const intent = await this.intentOf(request.outTradeNo);
    if (!intent) throw new ProviderCallError('PROVIDER.REFUSED', 'refund: no payment for this order');
    const refund = await call('refund', () =>
      this.stripe.refunds.create(
        {
          payment_intent: intent.id,
          amount: request.amount.amountMinor,
          metadata: { reason: request.reason.slice(0, 500) },
        },
        { idempotencyKey: request.idempotencyKey },
      ),
    );
    return { providerRefundId: refund.id };
  }

  private async intentOf(outTradeNo: string): Promise<Stripe.PaymentIntent | undefined> {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(outTradeNo))
      throw new ProviderCallError('PROVIDER.REFUSED', 'bad out_trade_no');
    const found = await call('search', () =>
      this.stripe.paymentIntents.search({ query: `metadata['out_trade_no']:'${outTradeNo}'`, limit: 1 }),
    );
    return found.data[0];
  }
}

/** Stripe's own errors sorted into worth-retrying (network, 5xx, 429) and refused (other 4xx). */
async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof ProviderCallError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    const refused =
      error instanceof Stripe.errors.StripeError &&
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      status !== 429;
    throw new ProviderCallError(
      refused ? 'PROVIDER.REFUSED' : 'PROVIDER.UNAVAILABLE',
      `stripe ${what}: ${status ?? 'no answer'} ${(error as Error).message}`,
    );
  }
}
