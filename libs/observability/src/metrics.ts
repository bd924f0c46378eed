import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * One Prometheus registry per process, served at /metrics by every service. The pipeline's own metrics are
 * declared here once, so dashboards and alerts can rely on their names and labels.
 */
export const metricsRegistry = new Registry();

let defaultsCollected = false;

/**
 * Process metrics (CPU, memory, event-loop lag, GC) labelled with the service; call once at start. Under
 * prom-client's standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, …), with no prefix,
 * so the usual Node.js dashboards and alerts work on them unchanged.
 */
export function collectProcessMetrics(service: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequests = new Counter({
  name: 'keyflow_http_requests_total',
  help: 'HTTP requests by method, route and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'keyflow_http_request_duration_seconds',
  help: 'HTTP request duration by method and route',
  labelNames: ['method', 'route'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const kafkaMessages = new Counter({
  name: 'keyflow_kafka_messages_total',
  help: 'Kafka messages by consumer group, topic and outcome (handled, duplicate, unhandled, dead_lettered)',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const kafkaHandlerDuration = new Histogram({
  name: 'keyflow_kafka_handler_duration_seconds',
  help: 'Time to handle one Kafka message (inbox row and handler; the commit a batch shares is not included), by event type',
  labelNames: ['group', 'type'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const kafkaHandlerFailures = new Counter({
  name: 'keyflow_kafka_handler_failures_total',
  help: 'Failed handling attempts (each retry counts), by kind: transient (infrastructure) or handler',
  labelNames: ['group', 'type', 'kind'] as const,
  registers: [metricsRegistry],
});

export const deadLettered = new Counter({
  name: 'keyflow_dlq_messages_total',
  help: 'Messages sent to a dead-letter topic, by consumer group and reason kind',
  labelNames: ['group', 'reason'] as const,
  registers: [metricsRegistry],
});

const consumerLagReaders = new Set<() => Promise<void>>();

/** The Kafka transport registers how to read its groups' lag; a scrape reads it fresh. Returns the unregister. */
export function readConsumerLagOnScrape(read: () => Promise<void>): () => void {
  consumerLagReaders.add(read);
  return () => consumerLagReaders.delete(read);
}

export const consumerLag = new Gauge({
  name: 'keyflow_kafka_consumer_lag',
  help: 'Messages not yet committed by the consumer group, per partition (read from the broker at each scrape)',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
  collect: async () => void (await Promise.all([...consumerLagReaders].map((read) => read()))),
});

export const outboxPublished = new Counter({
  name: 'keyflow_outbox_published_total',
  help: 'Events published by the outbox relay',
  labelNames: ['schema'] as const,
  registers: [metricsRegistry],
});

export const outboxPublishLag = new Histogram({
  name: 'keyflow_outbox_publish_lag_seconds',
  help: 'From the commit of an event to its acknowledgement by Kafka (relay lag)',
  labelNames: ['schema'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const outboxBacklog = new Gauge({
  name: 'keyflow_outbox_backlog',
  help: 'Committed events waiting to be published',
  labelNames: ['schema'] as const,
  registers: [metricsRegistry],
});

let refreshAdmission: (() => Promise<void>) | undefined;

/** orders' checkout admission registers how to read its backlog, so a scrape shows it fresh even when idle. */
export function refreshAdmissionOnScrape(refresh: () => Promise<void>): void {
  refreshAdmission = refresh;
}

export const admissionBacklog = new Gauge({
  name: 'keyflow_admission_backlog',
  help: 'Paid orders the pipeline has not finished yet, as checkout admission reads them (its bound applies to this)',
  registers: [metricsRegistry],
  collect: () => refreshAdmission?.(),
});

export const admissionCompletedPerSecond = new Gauge({
  name: 'keyflow_admission_completed_per_second',
  help: 'Orders completed per second over the admission window (Retry-After = backlog / this)',
  registers: [metricsRegistry],
  collect: () => refreshAdmission?.(),
});

export const admissionMaxBacklog = new Gauge({
  name: 'keyflow_admission_max_backlog',
  help: 'The backlog bound past which new checkouts are shed (absent: admission control off)',
  registers: [metricsRegistry],
});

export const checkoutsShed = new Counter({
  name: 'keyflow_checkouts_shed_total',
  help: 'New checkouts refused with 503 + Retry-After because the backlog was past its bound',
  registers: [metricsRegistry],
});
