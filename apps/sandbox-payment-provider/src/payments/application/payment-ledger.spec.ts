import { SandboxError } from '../domain/sandbox-payment';
import { PaymentLedger } from './payment-ledger';

const now = new Date('2030-01-01T00:00:00.000Z');
const request = {
  outTradeNo: '3f1c2a8e000040008000000000000001',
  orderId: '3f1c2a8e-0000-4000-8000-000000000001',
  amountMinor: 5000,
  currency: 'CNY',
  notifyUrl: 'http://127.0.0.1/notify',
  expiresAt: '2030-01-01T00:15:00.000Z',
};

describe('PaymentLedger (the sandbox provider books)', () => {
  it('creates one payment per out_trade_no and refuses reuse with another amount', () => {
    const ledger = new PaymentLedger();
    const first = ledger.create('alipay', request, now);
    expect(ledger.create('alipay', request, now)).toBe(first);
    expect(() => ledger.create('alipay', { ...request, amountMinor: 1 }, now)).toThrow(SandboxError);
  });

  it('refunds at most once per idempotency key and never more than was paid', () => {
    const ledger = new PaymentLedger();
    const payment = ledger.create('stripe', request, now);
    ledger.pay(payment.paymentId, now);
    const refund = ledger.refund('stripe', request.outTradeNo, 'refund-1', 5000, now);
    expect(ledger.refund('stripe', request.outTradeNo, 'refund-1', 5000, now)).toBe(refund);
    expect(() => ledger.refund('stripe', request.outTradeNo, 'refund-2', 1, now)).toThrow(SandboxError);
    expect(ledger.find('stripe', request.outTradeNo).status).toBe('refunded');
  });

  it('refuses to be paid twice or after expiry', () => {
    const ledger = new PaymentLedger();
    const payment = ledger.create('wechat', request, now);
    ledger.pay(payment.paymentId, now);
    expect(() => ledger.pay(payment.paymentId, now)).toThrow(SandboxError);
    const late = ledger.create('wechat', { ...request, outTradeNo: 'other-trade-no' }, now);
    expect(() => ledger.pay(late.paymentId, new Date('2030-01-01T01:00:00.000Z'))).toThrow(SandboxError);
  });
});
