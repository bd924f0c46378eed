import { type OrderFacts, type OrderHistory } from '../src/risk/domain/order-facts';
import { type RiskRules } from '../src/risk/domain/risk-rules';

/** Builders for specs: sensible defaults, each test states only what it is about. */
export function aRules(overrides: Partial<RiskRules> = {}): RiskRules {
  return {
    channels: {
      alipay: { trusted: true, reviewAboveMinor: 100_000, rejectAboveMinor: 500_000 },
      stripe: { trusted: false, reviewAboveMinor: 50_000, rejectAboveMinor: 200_000 },
    },
    defaultChannel: { trusted: false, reviewAboveMinor: 20_000, rejectAboveMinor: 100_000 },
    passFirst: { maxAmountMinor: 10_000 },
    velocity: {
      windowSeconds: 3600,
      perEmail: { reviewAbove: 3, rejectAbove: 6 },
      perIp: { reviewAbove: 5, rejectAbove: 10 },
      perDevice: { reviewAbove: 5 },
    },
    blockLists: {
      emails: ['fraud@example.com'],
      emailDomains: ['spam.test'],
      ips: ['10.6.6.6'],
      devices: ['dev-bad'],
    },
    firstOrder: { reviewAboveMinor: 30_000 },
    ...overrides,
  };
}

export function anOrder(overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    orderId: '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10',
    email: 'buyer@example.com',
    paymentChannel: 'alipay',
    amountMinor: 5_000,
    currency: 'CNY',
    sku: 'STEAM-50',
    quantity: 1,
    placedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

export function aHistory(overrides: Partial<OrderHistory> = {}): OrderHistory {
  return { emailOrdersInWindow: 0, earlierOrdersByEmail: 2, ...overrides };
}
