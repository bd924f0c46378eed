import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

import { metricsRegistry } from '@keyflow/observability';

import { SLA_SETTINGS, type SlaSettings } from '../application/sla-watch/sla-settings';
import { type OverviewCounts, overviewCounts } from './dashboard.queries';

/** Scrapes within this many ms of each other share one query (two Prometheus replicas, a curl beside them). */
const CACHE_MS = 5000;

type Source = () => Promise<OverviewCounts>;
let source: Source | undefined;
let cached: { at: number; counts: Promise<OverviewCounts> } | undefined;

/** The console overview's own figures, read once per scrape (or per CACHE_MS), shared by the four gauges. */
function current(): Promise<OverviewCounts> | undefined {
  if (!source) return undefined;
  const now = Date.now();
  if (!cached || now - cached.at > CACHE_MS) {
    const counts = source();
    cached = { at: now, counts };
    counts.catch(() => (cached = undefined));
  }
  return cached.counts;
}

/** A gauge set at scrape time from the overview; a failed query leaves the last value (and is not thrown). */
function overviewGauge(name: string, help: string, value: (counts: OverviewCounts) => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [metricsRegistry],
    async collect() {
      const counts = await current()?.catch(() => undefined);
      if (counts) this.set(value(counts));
    },
  });
}

// Names fixed: the Grafana dashboard and the Prometheus alert rules under deploy/ are written against them.
overviewGauge(
  'keyflow_orders_delay_ratio',
  'Of the orders paid in the SLA health window (default 1 h), the share delivered later than the late threshold (SLA tier 1, default 5 min) or still undelivered past it; 0..1',
  (c) => (c.window.paid === 0 ? 0 : c.window.late / c.window.paid),
);
overviewGauge(
  'keyflow_orders_paid_to_delivered_average_seconds',
  'Average paid → delivered, in seconds, of the orders delivered in the SLA health window; NaN when none was',
  (c) => c.window.averageDeliverySeconds ?? Number.NaN,
);
overviewGauge(
  'keyflow_orders_paid_undelivered',
  'Paid orders still waiting for their keys (including those escalated to a person)',
  (c) => c.paidUndelivered.count,
);
overviewGauge(
  'keyflow_orders_paid_undelivered_over_alert_age',
  "Paid orders still waiting for their keys for longer than the operator alert's age (SLA tier 2, default 10 min)",
  (c) => c.paidUndelivered.overAlertAge,
);

/** Points the gauges at this process's database and SLA settings: the same query as GET /v1/dashboard/overview. */
@Injectable()
export class DelayGauges implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SLA_SETTINGS) private readonly sla: SlaSettings,
  ) {}

  onApplicationBootstrap(): void {
    source = () =>
      overviewCounts(
        this.dataSource.manager,
        this.sla.healthWindowSeconds,
        this.sla.tier1Seconds,
        this.sla.tier2Seconds,
      );
    cached = undefined;
  }

  onApplicationShutdown(): void {
    source = undefined;
    cached = undefined;
  }
}
