import { numberAtLeast } from '@keyflow/service-kit';

export const SLA_SETTINGS = Symbol('SLA_SETTINGS');

/** The shop owners' tiers (seconds), configurable; defaults from their practice: 5 / 10 (>5 orders) / 30 min. */
export interface SlaSettings {
  tier1Seconds: number;
  tier2Seconds: number;
  tier2MinOrders: number;
  tier3Seconds: number;
  tier3Action: 'manual-delivery' | 'refund';
  scanSeconds: number;
  healthWindowSeconds: number;
  maxDelayRate: number;
  maxAverageDeliverySeconds: number;
}

export function slaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SlaSettings {
  const number = (name: string, fallback: number, min = 0) => numberAtLeast(env, name, fallback, min);
  const action = env.SLA_TIER3_ACTION ?? 'manual-delivery';
  if (action !== 'manual-delivery' && action !== 'refund') {
    throw new Error(`SLA_TIER3_ACTION must be manual-delivery or refund, got "${action}"`);
  }
  return {
    tier1Seconds: number('SLA_TIER1_SECONDS', 300, 1),
    tier2Seconds: number('SLA_TIER2_SECONDS', 600, 1),
    tier2MinOrders: number('SLA_TIER2_MIN_ORDERS', 5, 0),
    tier3Seconds: number('SLA_TIER3_SECONDS', 1800, 1),
    tier3Action: action,
    scanSeconds: number('SLA_SCAN_SECONDS', 15, 0.1),
    healthWindowSeconds: number('SLA_HEALTH_WINDOW_SECONDS', 3600, 1),
    maxDelayRate: number('SLA_MAX_DELAY_RATE', 0.02, 0),
    maxAverageDeliverySeconds: number('SLA_MAX_AVERAGE_DELIVERY_SECONDS', 180, 1),
  };
}
