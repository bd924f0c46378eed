import { decidePayment, type PaymentIntentState, type ReportedPayment } from './payment-intent';

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
const payment = (overrides: Partial<ReportedPayment> = {}): ReportedPayment => ({
  provider: 'alipay',
  providerTradeNo: 'T1',
  amount: { amountMinor: 5000, currency: 'CNY' },
  paidAt: '2030-01-01T00:10:00.000Z',
  ...overrides,
});
const now = new Date('2030-01-01T00:11:00.000Z');

describe('decidePayment', () => {
  it('confirms the expected amount paid in time', () => {
    expect(decidePayment(intent(), payment(), now)).toEqual({
      kind: 'confirm',
      paidAt: '2030-01-01T00:10:00.000Z',
    });
  });

  it('treats the same provider transaction again as a duplicate, another one as paid twice', () => {
    const paid = intent({ status: 'paid', providerTradeNo: 'T1' });
    expect(decidePayment(paid, payment(), now).kind).toBe('duplicate');
    expect(decidePayment(paid, payment({ providerTradeNo: 'T2' }), now).kind).toBe('paid-twice');
  });

  it.each([
    [
      'a different amount',
      payment({ amount: { amountMinor: 4999, currency: 'CNY' } }),
      'PAYMENT.AMOUNT_MISMATCH',
    ],
    [
      'a different currency',
      payment({ amount: { amountMinor: 5000, currency: 'USD' } }),
      'PAYMENT.AMOUNT_MISMATCH',
    ],
    ['another provider', payment({ provider: 'stripe' }), 'PAYMENT.PROVIDER_MISMATCH'],
    ['a payment after expiry', payment({ paidAt: '2030-01-01T00:15:00.001Z' }), 'PAYMENT.INTENT_EXPIRED'],
  ])('rejects %s', (_name, reported, code) => {
    expect(decidePayment(intent(), reported, now)).toMatchObject({ kind: 'reject', code, emit: true });
  });

  it('rejects again without a second event once rejected', () => {
    expect(decidePayment(intent({ status: 'rejected' }), payment(), now)).toMatchObject({
      kind: 'reject',
      emit: false,
    });
  });
});
