import { Inject, Injectable } from '@nestjs/common';

import { type ProviderKind } from '../domain/provider-kind';
import { PAYMENTS_CONFIG, type PaymentsConfig } from '../config/payments.config';
import {
  type CreatedPayment,
  type CreatePaymentRequest,
  PaymentProviderPort,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../application/payment-provider.port';

/**
 * The provider API over HTTP, in the sandbox provider's shape (one JSON API per flavor under
 * `/sandbox/<flavor>/`). Real providers differ in transport details; the port stays the same.
 */
@Injectable()
export class SandboxProviderClient extends PaymentProviderPort {
  private readonly providerUrl: string;

  constructor(@Inject(PAYMENTS_CONFIG) private readonly config: PaymentsConfig) {
    super();
    if (!config.providerUrl) throw new Error('the sandbox client needs PAYMENT_PROVIDER_URL');
    this.providerUrl = config.providerUrl;
  }

  async create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const body = await this.call('POST', `/sandbox/${request.provider}/payments`, {
      outTradeNo: request.outTradeNo,
      orderId: request.orderId,
      amountMinor: request.amount.amountMinor,
      currency: request.amount.currency,
      notifyUrl: request.notifyUrl,
      expiresAt: request.expiresAt,
    });
    return { providerPaymentId: text(body, 'paymentId'), cashierUrl: text(body, 'cashierUrl') };
  }

  async query(provider: ProviderKind, outTradeNo: string): Promise<ProviderPaymentStatus> {
    const body = await this.call('GET', `/sandbox/${provider}/payments/${encodeURIComponent(outTradeNo)}`);
    if (body === undefined) return { status: 'not-found' };
    const status = text(body, 'status');
    if (status === 'paid' || status === 'refunded') {
      return {
        status: 'paid',
        providerTradeNo: text(body, 'transactionId'),
        amount: { amountMinor: Number(body.amountMinor), currency: text(body, 'currency') },
        ...(typeof body.paidAt === 'string' ? { paidAt: body.paidAt } : {}),
      };
    }
    return { status: status === 'closed' ? 'closed' : 'pending' };
  }

  async refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    const body = await this.call(
      'POST',
      `/sandbox/${request.provider}/refunds`,
      {
        outTradeNo: request.outTradeNo,
        amountMinor: request.amount.amountMinor,
        currency: request.amount.currency,
        reason: request.reason,
      },
      { 'idempotency-key': request.idempotencyKey },
    );
    if (body === undefined) throw new ProviderCallError('PROVIDER.REFUSED', 'refund: payment not found');
    return { providerRefundId: text(body, 'refundId') };
  }

  /** Undefined for 404; throws ProviderCallError for everything else that is not 2xx. */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    json?: object,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.providerUrl}${path}`, {
        method,
        headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(json ? { body: JSON.stringify(json) } : {}),
        signal: AbortSignal.timeout(this.config.providerTimeoutMs),
      });
    } catch (error) {
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', `${method} ${path}: ${(error as Error).message}`);
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      const code =
        response.status >= 500 || response.status === 429 ? 'PROVIDER.UNAVAILABLE' : 'PROVIDER.REFUSED';
      throw new ProviderCallError(code, `${method} ${path}: HTTP ${response.status}`);
    }
    return (await response.json()) as Record<string, unknown>;
  }
}

function text(body: Record<string, unknown> | undefined, field: string): string {
  const value = body?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new ProviderCallError('PROVIDER.UNAVAILABLE', `provider answer has no ${field}`);
  }
  return value;
}
