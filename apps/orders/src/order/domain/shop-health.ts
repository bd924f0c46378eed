/** What the SLA monitor measured in one pass (pure inputs for the alert decisions). */
export interface ShopHealthSample {
  /** Paid orders undelivered for longer than the tier-2 threshold. */
  lateTier2: number;
  /** Orders paid within the window, and how many of them were (or still are) later than tier 1. */
  paidInWindow: number;
  lateInWindow: number;
  /** Average paid → delivered over orders delivered within the window, in seconds (undefined: none). */
  averageDeliverySeconds?: number;
}

export interface ShopHealthLimits {
  tier2MinOrders: number;
  maxDelayRate: number;
  maxAverageDeliverySeconds: number;
}

export interface AlertCondition {
  alertKey: string;
  active: boolean;
  severity: 'warning' | 'critical';
  summary: string;
}

/** Which operator alerts should be raised right now. Pure, so every threshold is unit-tested. */
export function alertConditions(sample: ShopHealthSample, limits: ShopHealthLimits): AlertCondition[] {
  const delayRate = sample.paidInWindow === 0 ? 0 : sample.lateInWindow / sample.paidInWindow;
  const average = sample.averageDeliverySeconds;
  return [
    {
      alertKey: 'sla.tier2',
      active: sample.lateTier2 > limits.tier2MinOrders,
      severity: 'critical',
      summary: `${sample.lateTier2} paid orders are undelivered past the tier-2 threshold (alert above ${limits.tier2MinOrders})`,
    },
    {
      alertKey: 'shop.delay-rate',
      active: sample.paidInWindow > 0 && delayRate > limits.maxDelayRate,
      severity: 'warning',
      summary: `delay rate ${(delayRate * 100).toFixed(1)} % of ${sample.paidInWindow} paid orders (limit ${(limits.maxDelayRate * 100).toFixed(1)} %)`,
    },
    {
      alertKey: 'shop.average-delivery-time',
      active: average !== undefined && average > limits.maxAverageDeliverySeconds,
      severity: 'warning',
      summary: `average paid→delivered ${average === undefined ? '–' : Math.round(average)} s (limit ${limits.maxAverageDeliverySeconds} s)`,
    },
  ];
}
