import { Histogram } from 'prom-client';

import { metricsRegistry } from '@keyflow/observability';

import { type StageObservations } from '../domain/stage-observations';

/** Seconds, from a fast in-memory hop to the SLA tiers (5, 10 and 30 minutes). */
const STAGE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 180, 300, 600, 1800];

export const orderStageSeconds = new Histogram({
  name: 'keyflow_order_stage_seconds',
  help: "Time an order spent in a stage, from entering it to leaving it done (payment, stock-reservation, risk, stock-commit, delivery, notification), by the facts' own times",
  labelNames: ['stage'] as const,
  buckets: STAGE_BUCKETS,
  registers: [metricsRegistry],
});

export const orderPaidToDeliveredSeconds = new Histogram({
  name: 'keyflow_order_paid_to_delivered_seconds',
  help: 'From payment to delivery, per delivered order (the shop owners judge a shop by its average)',
  buckets: STAGE_BUCKETS,
  registers: [metricsRegistry],
});

export function recordStageObservations(observed: StageObservations): void {
  for (const { stage, seconds } of observed.stages) orderStageSeconds.observe({ stage }, seconds);
  if (observed.paidToDeliveredSeconds !== undefined) {
    orderPaidToDeliveredSeconds.observe(observed.paidToDeliveredSeconds);
  }
}
