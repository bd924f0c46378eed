/**
 * The whole pipeline under an open-model load on this machine: real checkouts and signed callbacks through
 * the six services (separate processes), the sandbox provider and suppliers, the real broker and Postgres.
 * In the same run it measures this machine's limits (a raw kafkajs chain through as many hops, and the
 * Postgres commit rate for the transactions one order takes) and reports the pipeline as a share of them.
 *
 *   npm run bench -- --scenario steady|ramp|supplier-outage|callback-loss [--orders N] [--rate R] [--json FILE]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  databaseCommits,
  formatReport,
  type LoadRunResult,
  measureKafkaHopLimit,
  measurePostgresCommitLimit,
  PeakMemorySampler,
  runLoad,
  type ScheduledFault,
  seedCatalog,
  SERVICE_NAMES,
  setPaymentFaults,
  setSupplierFaults,
  startIsolatedStack,
} from '@keyflow/load';

const SCENARIOS = ['steady', 'ramp', 'supplier-outage', 'callback-loss'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'steady' },
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '100' },
    json: { type: 'string' },
    'skip-limits': { type: 'boolean', default: false },
  },
});

/** Kafka hops an order takes: placed → payment → risk → inventory → delivery → notification → orders. */
const ORDER_HOPS = 6;

async function main() {
  const scenario = args.scenario as Scenario;
  if (!SCENARIOS.includes(scenario)) {
    throw new Error(`unknown scenario "${args.scenario}" (have: ${SCENARIOS.join(', ')})`);
  }
  const orders = Number(args.orders);
  const rate = Number(args.rate);
  if (!(orders > 0) || !(rate > 0)) throw new Error('--orders and --rate must be positive numbers');
  const databaseUrl = process.env.DATABASE_URL!;
  const brokers = process.env.KAFKA_BROKERS!;

  console.error(
    `bench ${scenario}: ${orders} orders at ${rate}/s${scenario === 'ramp' ? ' (ramping up to it)' : ''}`,
  );
  const { stack, operatorKey } = await startIsolatedStack({
    name: 'bench',
    basePort: 5000,
    databaseUrl,
    kafkaBrokers: brokers,
    env: { PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '5', PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS: '2' },
    onUnexpectedExit: (name, code, signal) => {
      console.error(
        `${name} exited during the benchmark (${signal ?? code}); see .local/bench/logs/${name}.log`,
      );
      process.exit(1);
    },
  });
  let result: LoadRunResult;
  let memory: Record<string, number>;
  let commitsPerOrder: number;
  try {
    await seedCatalog(
      { ordersUrl: stack.url('orders'), inventoryUrl: stack.url('inventory'), operatorKey },
      Math.ceil(orders / 3) + 50,
    );
    const suppliersUrl = stack.url('sandbox-suppliers');
    const sandboxUrl = stack.url('sandbox-payment-provider');
    const faults: ScheduledFault[] = [];
    if (scenario === 'supplier-outage') {
      faults.push({
        when: (p) => p.started >= orders / 4,
        label: 'primary supplier down',
        apply: () => setSupplierFaults(suppliersUrl, 'primary', { outage: true }),
      });
    }
    if (scenario === 'callback-loss') {
      faults.push({
        when: () => true,
        label: '20% of callbacks lost',
        apply: () => setPaymentFaults(sandboxUrl, { dropCallbackRate: 0.2 }),
      });
    }
    const sampler = new PeakMemorySampler(() =>
      stack.processes().filter((p) => SERVICE_NAMES.includes(p.name)),
    ).start();
    const commitsBefore = await databaseCommits(databaseUrl);
    // Ramp: from a tenth of the rate to the rate over the arrivals, to find where completions stop keeping up.
    const arrivalSeconds = orders / rate;
    const rateAt =
      scenario === 'ramp'
        ? (s: number) => rate / 10 + ((rate * 9) / 10) * Math.min(1, s / (arrivalSeconds * 0.55))
        : () => rate;
    result = await runLoad({
      endpoints: {
        ordersUrl: stack.url('orders'),
        sandboxUrl,
        deliveryUrl: stack.url('delivery'),
        operatorKey,
      },
      orders,
      rateAt,
      faults,
      progress: true,
      drainTimeoutMs: 180_000,
    });
    commitsPerOrder = (await databaseCommits(databaseUrl)) - commitsBefore;
    commitsPerOrder = result.summary.completed > 0 ? commitsPerOrder / result.summary.completed : NaN;
    memory = sampler.stop();
    await setSupplierFaults(suppliersUrl, 'primary', { recover: true });
    await setPaymentFaults(sandboxUrl, {});
  } finally {
    await stack.stop();
  }
  console.error(`\n${formatReport(result)}`);

  let limits: Record<string, unknown> = { skipped: true };
  if (!args['skip-limits']) {
    console.error('\nmeasuring this machine’s limits (raw kafkajs chain, Postgres commits)…');
    const kafka = await measureKafkaHopLimit({
      brokers: brokers.split(','),
      hops: ORDER_HOPS,
      messages: 20000,
    });
    const pg = await measurePostgresCommitLimit({ databaseUrl, clients: 12, seconds: 5 });
    const pgOrdersPerS = pg.commits_per_s / commitsPerOrder;
    const limit = Math.min(kafka.msgs_per_s, pgOrdersPerS);
    limits = {
      kafka_raw_chain: kafka,
      postgres: {
        ...pg,
        commits_per_order: Number(commitsPerOrder.toFixed(1)),
        orders_per_s: Math.round(pgOrdersPerS),
      },
      orders_per_s_limit: Math.round(limit),
      bound_by: kafka.msgs_per_s < pgOrdersPerS ? 'kafka' : 'postgres',
      pipeline_fraction_of_limit: Number((result.throughputPerSecond / limit).toFixed(3)),
    };
  }
  const s = result.summary;
  const report = {
    scenario,
    orders,
    rate_per_s: rate,
    completed: s.completed,
    lost: s.lost,
    duplicated: s.duplicated,
    stopped: s.stopped,
    buyer_errors: s.buyer_errors,
    throughput_per_s: Number(result.throughputPerSecond.toFixed(1)),
    peak_completed_per_s_5s: s.peak_completed_per_s_5s,
    seconds: Number(result.seconds.toFixed(1)),
    e2e_ms: s.e2e_ms,
    checkout_to_notified_ms: s.checkout_to_notified_ms,
    stages_ms: s.stages_ms,
    supplier_switches: s.supplier_switches,
    callbacks_recovered_by_active_query: s.callbacks_recovered_by_active_query,
    memory_peak_mib: memory,
    machine: {
      cpus: os.cpus().length,
      mem: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      node: process.version,
      load_avg_1m: Number(os.loadavg()[0].toFixed(2)),
    },
    limits,
  };
  console.log(JSON.stringify(report, null, 2));
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
  }
  process.exit(s.lost > 0 || s.duplicated > 0 ? 1 : 0);
}

// Ctrl-C or a kill: exit through process.exit so the stack's exit hook takes its processes down too
// (a process ended by a signal's default action runs no exit hooks and would leave them orphaned).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
