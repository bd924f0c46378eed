import { assess } from './assessment';
import { aHistory, anOrder, aRules } from '../../../test/risk-builders';

describe('assess', () => {
  // [what, order, history, expected outcome, mode (approvals), deciding rule]
  const cases: Array<
    [
      string,
      Parameters<typeof anOrder>[0],
      Parameters<typeof aHistory>[0],
      string,
      string | undefined,
      string,
    ]
  > = [
    ['small order from a trusted channel passes first', {}, {}, 'approve', 'pass-first', 'pass-first'],
    [
      'medium order within limits is approved by the rules',
      { amountMinor: 50_000 },
      {},
      'approve',
      'rules',
      'within-limits',
    ],
    [
      'above the channel review limit → review',
      { amountMinor: 100_001 },
      {},
      'review',
      undefined,
      'amount.review',
    ],
    [
      'above the channel reject limit → reject',
      { amountMinor: 500_001 },
      {},
      'reject',
      undefined,
      'amount.reject',
    ],
    [
      'untrusted channel never passes first',
      { paymentChannel: 'stripe', amountMinor: 5_000 },
      {},
      'approve',
      'rules',
      'within-limits',
    ],
    [
      'unknown channel uses the default limits',
      { paymentChannel: 'paypal', amountMinor: 20_001 },
      {},
      'review',
      undefined,
      'amount.review',
    ],
    [
      'channel names compare case-insensitively',
      { paymentChannel: 'ALIPAY', amountMinor: 100_001 },
      {},
      'review',
      undefined,
      'amount.review',
    ],
    [
      'blocked email → reject, even when small',
      { email: 'fraud@example.com' },
      {},
      'reject',
      undefined,
      'block-list.email',
    ],
    [
      'blocked email domain → reject',
      { email: 'x@spam.test' },
      {},
      'reject',
      undefined,
      'block-list.email-domain',
    ],
    ['blocked IP → reject', { clientIp: '10.6.6.6' }, {}, 'reject', undefined, 'block-list.ip'],
    ['blocked device → reject', { deviceId: 'dev-bad' }, {}, 'reject', undefined, 'block-list.device'],
    [
      '3 orders per email in the window are fine',
      { amountMinor: 50_000 },
      { emailOrdersInWindow: 2 },
      'approve',
      'rules',
      'within-limits',
    ],
    [
      'the 4th order per email → review',
      { amountMinor: 50_000 },
      { emailOrdersInWindow: 3 },
      'review',
      undefined,
      'velocity.email.review',
    ],
    [
      'the 7th order per email → reject',
      { amountMinor: 50_000 },
      { emailOrdersInWindow: 6 },
      'reject',
      undefined,
      'velocity.email.reject',
    ],
    [
      'a velocity reject is not passed first',
      {},
      { emailOrdersInWindow: 6 },
      'reject',
      undefined,
      'velocity.email.reject',
    ],
    [
      'a velocity review on a small trusted order passes first (audited later)',
      {},
      { emailOrdersInWindow: 3 },
      'approve',
      'pass-first',
      'pass-first',
    ],
    [
      'IP velocity applies when the IP is known',
      { amountMinor: 50_000, clientIp: '1.2.3.4' },
      { ipOrdersInWindow: 5 },
      'review',
      undefined,
      'velocity.ip.review',
    ],
    [
      'IP velocity is skipped without an IP',
      { amountMinor: 50_000 },
      { ipOrdersInWindow: 50 },
      'approve',
      'rules',
      'within-limits',
    ],
    [
      'device velocity applies when the device is known',
      { amountMinor: 50_000, deviceId: 'd1' },
      { deviceOrdersInWindow: 5 },
      'review',
      undefined,
      'velocity.device.review',
    ],
    [
      'first order above the first-order limit → review',
      { amountMinor: 30_001 },
      { earlierOrdersByEmail: 0 },
      'review',
      undefined,
      'first-order.review',
    ],
    [
      'first order below the first-order limit is approved',
      { amountMinor: 30_000 },
      { earlierOrdersByEmail: 0 },
      'approve',
      'rules',
      'within-limits',
    ],
    [
      'the strongest review signal decides',
      { amountMinor: 100_001 },
      { earlierOrdersByEmail: 0 },
      'review',
      undefined,
      'amount.review',
    ],
    [
      'a rejection beats any review',
      { amountMinor: 100_001, email: 'x@spam.test' },
      {},
      'reject',
      undefined,
      'block-list.email-domain',
    ],
  ];

  it.each(cases)('%s', (_what, order, history, outcome, mode, rule) => {
    const decision = assess(anOrder(order), aHistory(history), aRules());
    expect(decision.outcome).toBe(outcome);
    expect(decision.rule).toBe(rule);
    if (decision.outcome === 'approve') expect(decision.mode).toBe(mode);
  });

  it('keeps every finding for reviewers and audits, and scores with the strongest', () => {
    const decision = assess(
      anOrder({ amountMinor: 8_000 }),
      aHistory({ emailOrdersInWindow: 3, earlierOrdersByEmail: 0 }),
      aRules({ firstOrder: { reviewAboveMinor: 1_000 } }),
    );
    expect(decision).toMatchObject({ outcome: 'approve', mode: 'pass-first', score: 65 });
    expect(decision.findings.map((f) => f.rule)).toEqual(['velocity.email.review', 'first-order.review']);
  });

  it('scores approvals below every review signal, growing with the amount', () => {
    const small = assess(anOrder({ amountMinor: 1_000 }), aHistory(), aRules());
    const larger = assess(anOrder({ amountMinor: 90_000 }), aHistory(), aRules());
    expect(small.score).toBeLessThan(larger.score);
    expect(larger.score).toBeLessThanOrEqual(40);
  });

  it('turns pass-first off when the rules do not configure it', () => {
    const decision = assess(anOrder(), aHistory(), aRules({ passFirst: undefined }));
    expect(decision).toMatchObject({ outcome: 'approve', mode: 'rules' });
  });
});
