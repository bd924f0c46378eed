import { Counter, Gauge } from 'prom-client';

import { metricsRegistry } from '@keyflow/observability';

/** 0 closed, 1 half-open, 2 open: one series per supplier, so a dashboard shows which circuit is open. */
export const supplierBreakerState = new Gauge({
  name: 'keyflow_supplier_breaker_state',
  help: 'Circuit breaker state per supplier: 0 closed, 1 half-open, 2 open',
  labelNames: ['supplier'] as const,
  registers: [metricsRegistry],
});

export const supplierBreakerTransitions = new Counter({
  name: 'keyflow_supplier_breaker_transitions_total',
  help: 'Circuit breaker state changes per supplier and new state',
  labelNames: ['supplier', 'state'] as const,
  registers: [metricsRegistry],
});

export const supplierCalls = new Counter({
  name: 'keyflow_supplier_calls_total',
  help: 'Supplier purchase calls by supplier and outcome (ok, retryable, rejected, unknown-outcome, breaker-open)',
  labelNames: ['supplier', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const abandonedPurchases = new Counter({
  name: 'keyflow_supplier_abandoned_unknown_outcomes_total',
  help: 'Purchases given up on because the supplier never said whether it sold (delivered from a backup, to reconcile)',
  labelNames: ['supplier'] as const,
  registers: [metricsRegistry],
});
