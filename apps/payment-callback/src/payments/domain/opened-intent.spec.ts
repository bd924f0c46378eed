import { checkOpenedIntent, type PlacedPayment } from './opened-intent';
import { type PaymentIntentState } from './payment-intent';

const intent = (overrides: Partial<PaymentIntentState> = {}): PaymentIntentState => ({
  orderId: '3f1c2a8e-0000-4000-8000-000000000001',
  paymentId: 'pay-1',
  provider: 'alipay',
  expected: { amountMinor: 5000, currency: 'CNY' },
  expiresAt: '2030-01-01T00:15:00.000Z',
  status: 'awaiting-payment',
  providerTradeNo: null,
  ...overrides,
});
const placed = (overrides: Partial<PlacedPayment> = {}): PlacedPayment => ({
  provider: 'alipay',
  amount: { amountMinor: 5000, currency: 'CNY' },
  ...overrides,
});

describe('checkOpenedIntent (OrderPlaced after the pay URL opened the intent)', () => {
  it('changes nothing when the intent agrees with the order, whatever its status', () => {
    for (const status of ['pending-creation', 'awaiting-payment', 'paid', 'rejected', 'expired'] as const) {
      expect(checkOpenedIntent(intent({ status }), placed())).toEqual({ kind: 'agrees' });
    }
  });

  it('rejects an unpaid intent opened with another amount, currency or provider, naming the difference', () => {
    expect(checkOpenedIntent(intent(), placed({ amount: { amountMinor: 4999, currency: 'CNY' } }))).toEqual({
      kind: 'reject',
      reason: expect.stringMatching(/^PAYMENT\.PAY_LINK_MISMATCH: .*amount 5000 CNY vs 4999 CNY/),
    });
    expect(
      checkOpenedIntent(
        intent({ status: 'pending-creation' }),
        placed({ amount: { amountMinor: 5000, currency: 'USD' } }),
      ),
    ).toMatchObject({ kind: 'reject' });
    expect(checkOpenedIntent(intent(), placed({ provider: 'stripe' }))).toEqual({
      kind: 'reject',
      reason: expect.stringContaining('provider alipay vs stripe'),
    });
  });

  it('never reopens or re-rejects a paid, rejected or expired intent', () => {
    const other = placed({ amount: { amountMinor: 1, currency: 'CNY' } });
    expect(checkOpenedIntent(intent({ status: 'paid' }), other).kind).toBe('paid-but-disagrees');
    expect(checkOpenedIntent(intent({ status: 'rejected' }), other)).toEqual({ kind: 'closed' });
    expect(checkOpenedIntent(intent({ status: 'expired' }), other)).toEqual({ kind: 'closed' });
  });
});
