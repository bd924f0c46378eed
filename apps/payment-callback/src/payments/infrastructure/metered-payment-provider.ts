import { Counter, Histogram } from 'prom-client';

import { metricsRegistry } from '@keyflow/observability';

import { type ProviderKind } from '../domain/provider-kind';
import {
  type CreatedPayment,
  type CreatePaymentRequest,
  PaymentProviderPort,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../application/payment-provider.port';

const providerCalls = new Counter({
  name: 'keyflow_payment_provider_calls_total',
  help: 'Calls to the payment provider by provider, operation (create, query, refund) and outcome (ok, unavailable, refused, error)',
  labelNames: ['provider', 'operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

const providerCallDuration = new Histogram({
  name: 'keyflow_payment_provider_call_duration_seconds',
  help: 'Time a payment provider call took, answered or not, by provider and operation',
  labelNames: ['provider', 'operation'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

type Operation = 'create' | 'query' | 'refund';

/**
 * Whatever client talks to the provider, measured the same way: a decorator around the port, so every
 * provider (sandbox or real) is counted by one piece of code rather than one per client.
 */
export class MeteredPaymentProvider extends PaymentProviderPort {
  constructor(private readonly inner: PaymentProviderPort) {
    super();
  }

  create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    return this.measure(request.provider, 'create', () => this.inner.create(request));
  }

  query(provider: ProviderKind, outTradeNo: string): Promise<ProviderPaymentStatus> {
    return this.measure(provider, 'query', () => this.inner.query(provider, outTradeNo));
  }

  refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    return this.measure(request.provider, 'refund', () => this.inner.refund(request));
  }

  private async measure<T>(provider: ProviderKind, operation: Operation, call: () => Promise<T>): Promise<T> {
    const stop = providerCallDuration.startTimer({ provider, operation });
    try {
      const result = await call();
      providerCalls.inc({ provider, operation, outcome: 'ok' });
      return result;
    } catch (error) {
      providerCalls.inc({ provider, operation, outcome: outcomeOf(error) });
      throw error;
    } finally {
      stop();
    }
  }
}

function outcomeOf(error: unknown): string {
  if (!(error instanceof ProviderCallError)) return 'error';
  return error.code === 'PROVIDER.REFUSED' ? 'refused' : 'unavailable';
}
