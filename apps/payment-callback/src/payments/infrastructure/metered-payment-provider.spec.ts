import { metricsRegistry } from '@keyflow/observability';
import { metricValue } from '@keyflow/testing';

import { PaymentProviderPort, ProviderCallError } from '../application/payment-provider.port';
import { MeteredPaymentProvider } from './metered-payment-provider';

/** A provider answering from a script: one answer (or error) per call, in order. */
class ScriptedProvider extends PaymentProviderPort {
  constructor(private readonly answers: Array<unknown>) {
    super();
  }
  private next(): Promise<never> {
    const answer = this.answers.shift();
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as never);
  }
  create() {
    return this.next();
  }
  query() {
    return this.next();
  }
  refund() {
    return this.next();
  }
}

const calls = async (labels: Record<string, string>) =>
  metricValue(await metricsRegistry.metrics(), 'keyflow_payment_provider_calls_total', labels);

describe('metered payment provider', () => {
  it('counts each call by provider, operation and outcome, and passes answers and errors through', async () => {
    const before = {
      ok: await calls({ provider: 'wechat', operation: 'query', outcome: 'ok' }),
      unavailable: await calls({ provider: 'wechat', operation: 'query', outcome: 'unavailable' }),
      refused: await calls({ provider: 'stripe', operation: 'refund', outcome: 'refused' }),
      error: await calls({ provider: 'stripe', operation: 'refund', outcome: 'error' }),
    };
    const provider = new MeteredPaymentProvider(
      new ScriptedProvider([
        { status: 'pending' },
        new ProviderCallError('PROVIDER.UNAVAILABLE', 'timeout'),
        new ProviderCallError('PROVIDER.REFUSED', 'no such payment'),
        new TypeError('bug'),
      ]),
    );
    await expect(provider.query('wechat', 't1')).resolves.toEqual({ status: 'pending' });
    await expect(provider.query('wechat', 't1')).rejects.toThrow('timeout');
    const refund = {
      provider: 'stripe' as const,
      outTradeNo: 't2',
      amount: { amountMinor: 1, currency: 'CNY' },
    };
    await expect(provider.refund({ ...refund, idempotencyKey: 'k', reason: 'r' })).rejects.toThrow('no such');
    await expect(provider.refund({ ...refund, idempotencyKey: 'k', reason: 'r' })).rejects.toThrow(TypeError);

    expect(await calls({ provider: 'wechat', operation: 'query', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await calls({ provider: 'wechat', operation: 'query', outcome: 'unavailable' })).toBe(
      before.unavailable + 1,
    );
    expect(await calls({ provider: 'stripe', operation: 'refund', outcome: 'refused' })).toBe(
      before.refused + 1,
    );
    expect(await calls({ provider: 'stripe', operation: 'refund', outcome: 'error' })).toBe(before.error + 1);
    const durations = metricValue(
      await metricsRegistry.metrics(),
      'keyflow_payment_provider_call_duration_seconds_count',
      {
        provider: 'stripe',
        operation: 'refund',
      },
    );
    expect(durations).toBeGreaterThanOrEqual(2);
  });
});
