import fc from 'fast-check';

import { assess } from './assessment';
import { type OrderFacts, type OrderHistory } from './order-facts';
import { type ChannelRules, type CountLimits, type RiskRules } from './risk-rules';

const amount = fc.integer({ min: 0, max: 10_000_000_000 });
const count = fc.integer({ min: 0, max: 1_000 });
const channel: fc.Arbitrary<ChannelRules> = fc
  .record({ trusted: fc.boolean(), a: amount, b: amount })
  .map(({ trusted, a, b }) => ({
    trusted,
    reviewAboveMinor: Math.min(a, b),
    rejectAboveMinor: Math.max(a, b),
  }));
const limits: fc.Arbitrary<CountLimits> = fc.record(
  { reviewAbove: count, rejectAbove: count },
  { requiredKeys: [] },
);
const channelName = fc.constantFrom('alipay', 'wechat', 'stripe', 'paypal', '');
const email = fc.oneof(fc.emailAddress(), fc.string(), fc.constantFrom('fraud@example.com', 'x@spam.test'));

const rules: fc.Arbitrary<RiskRules> = fc.record(
  {
    channels: fc.dictionary(channelName, channel),
    defaultChannel: channel,
    passFirst: fc.record({ maxAmountMinor: amount }),
    velocity: fc.record(
      {
        windowSeconds: fc.integer({ min: 1, max: 86_400 }),
        perEmail: limits,
        perIp: limits,
        perDevice: limits,
      },
      { requiredKeys: ['windowSeconds'] },
    ),
    blockLists: fc.record({
      emails: fc.array(email, { maxLength: 3 }),
      emailDomains: fc.array(fc.domain(), { maxLength: 3 }),
      ips: fc.array(fc.ipV4(), { maxLength: 3 }),
      devices: fc.array(fc.string(), { maxLength: 3 }),
    }),
    firstOrder: fc.record({ reviewAboveMinor: amount }),
  },
  { requiredKeys: ['channels', 'defaultChannel', 'velocity', 'blockLists'] },
);

const facts: fc.Arbitrary<OrderFacts> = fc.record(
  {
    orderId: fc.uuid(),
    email,
    paymentChannel: channelName,
    amountMinor: amount,
    currency: fc.constantFrom('CNY', 'USD'),
    sku: fc.constant('STEAM-50'),
    quantity: fc.integer({ min: 1, max: 100 }),
    placedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    clientIp: fc.ipV4(),
    deviceId: fc.string(),
  },
  {
    requiredKeys: [
      'orderId',
      'email',
      'paymentChannel',
      'amountMinor',
      'currency',
      'sku',
      'quantity',
      'placedAt',
    ],
  },
);

const history: fc.Arbitrary<OrderHistory> = fc.record(
  {
    emailOrdersInWindow: count,
    ipOrdersInWindow: count,
    deviceOrdersInWindow: count,
    earlierOrdersByEmail: count,
  },
  { requiredKeys: ['emailOrdersInWindow', 'earlierOrdersByEmail'] },
);

describe('assess (properties)', () => {
  it('never throws and always yields exactly one outcome with a score in 0..100 and its deciding rule', () => {
    fc.assert(
      fc.property(facts, history, rules, (f, h, r) => {
        const decision = assess(f, h, r);
        expect(['approve', 'review', 'reject']).toContain(decision.outcome);
        expect(Number.isInteger(decision.score)).toBe(true);
        expect(decision.score).toBeGreaterThanOrEqual(0);
        expect(decision.score).toBeLessThanOrEqual(100);
        expect(decision.rule.length).toBeGreaterThan(0);
        if (decision.outcome === 'approve') expect(['rules', 'pass-first']).toContain(decision.mode);
        else expect(decision.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects whenever any rule says reject, and approves only when no rule rejects', () => {
    fc.assert(
      fc.property(facts, history, rules, (f, h, r) => {
        const decision = assess(f, h, r);
        const rejects = decision.findings.some((finding) => finding.verdict === 'reject');
        expect(decision.outcome === 'reject').toBe(rejects);
      }),
      { numRuns: 1000 },
    );
  });
});
