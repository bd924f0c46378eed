/**
 * The whole pipeline under an open-model load on this machine: real checkouts and signed callbacks through
 * the six services (separate processes), the sandbox provider and suppliers, the real broker and Postgres.
 * In the same run it measures this machine's limits (a raw kafkajs chain through as many hops, and the
 * Postgres commit rate for the transactions one order takes) and reports the pipeline as a share of them.
 *
 *   npm run bench -- --scenario steady|ramp|overload|supplier-outage|callback-loss [--orders N] [--rate R]
 *     [--json FILE] [--base-port P] [--max-backlog N] [--profile] [--no-tracing] [--skip-limits] [--warmup N]
 *     [--zipkin URL]
 *
 * overload: arrivals far above capacity; checkout sheds with Retry-After past the admission bound
 * (--max-backlog sets orders' ADMISSION_MAX_BACKLOG), buyers come back as told a few times and then give up.
 * --profile: every service runs with --cpu-prof; the top self-time functions per service are printed.
 * --no-tracing: OpenTelemetry off in every service (OTEL_SDK_DISABLED=true), to measure what tracing costs.
 * --warmup N (20): N orders at 2/s driven through and finished before the measured load; in no figure.
 * Spans are exported (Zipkin's API) to a counter in this process, for spans_per_order; --zipkin URL passes
 * them on to a real Zipkin too (scripts/zipkin.sh), and the report says whether it still answers after the run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  clearCpuProfiles,
  CpuSampler,
  databaseCommits,
  formatReport,
  type HotFunction,
  hotFunctionsIn,
  type LoadRunResult,
  measureKafkaHopLimit,
  measurePostgresCommitLimit,
  PeakMemorySampler,
  type ProcessName,
  REPO_ROOT,
  runLoad,
  type ScheduledFault,
  seedCatalog,
  SERVICE_NAMES,
  setPaymentFaults,
  setSupplierFaults,
  stackCpuGroups,
  startIsolatedStack,
  SpanCounter,
  SUSTAINED_DEFAULTS,
  zipkinAnswers,
} from '@keyflow/load';

const SCENARIOS = ['steady', 'ramp', 'overload', 'supplier-outage', 'callback-loss'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'steady' },
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '100' },
    json: { type: 'string' },
    'skip-limits': { type: 'boolean', default: false },
    /** First port of the stack's block (orders = base+1 … suppliers = base+91). */
    'base-port': { type: 'string', default: '5000' },
    /** orders' ADMISSION_MAX_BACKLOG for this run (default: the service's own default). */
    'max-backlog': { type: 'string' },
    profile: { type: 'boolean', default: false },
    /** Orders driven through (and finished) before the measured load, at 2/s; not in any figure. */
    warmup: { type: 'string', default: '20' },
    /** --no-tracing: OpenTelemetry off in every service. */
    tracing: { type: 'boolean', default: true },
    /** A Zipkin (e.g. http://127.0.0.1:9411 from scripts/zipkin.sh) to pass the run's spans on to. */
    zipkin: { type: 'string' },
  },
  allowNegative: true,
});

const PROFILES_DIR = path.join(REPO_ROOT, '.local', 'bench', 'profiles');

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
  const basePort = Number(args['base-port']);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort > 65_000)
    throw new Error('--base-port must be a port number between 1024 and 65000');
  const maxBacklog = args['max-backlog'];
  if (maxBacklog !== undefined && maxBacklog !== 'off' && !(Number(maxBacklog) >= 0))
    throw new Error('--max-backlog must be a number ≥ 0 or "off"');
  if (!(Number(args.warmup) >= 0)) throw new Error('--warmup must be a number ≥ 0');
  const tracing = args.tracing !== false;
  const nodeArgs: Partial<Record<ProcessName, string[]>> = {};
  if (args.profile) {
    for (const service of SERVICE_NAMES) {
      const dir = path.join(PROFILES_DIR, service);
      clearCpuProfiles(dir);
      nodeArgs[service] = ['--cpu-prof', '--cpu-prof-dir', dir];
    }
  }
  const databaseUrl = process.env.DATABASE_URL!;
  const brokers = process.env.KAFKA_BROKERS!;

  console.error(
    `bench ${scenario}: ${orders} orders at ${rate}/s${scenario === 'ramp' ? ' (ramping up to it)' : ''}` +
      `, tracing ${tracing ? 'on' : 'off'}${args.profile ? ', profiling' : ''}` +
      (maxBacklog !== undefined ? `, admission bound ${maxBacklog}` : ''),
  );
  // Spans go to a counter (spans per order: what an order costs the trace UI), and on to --zipkin if given.
  const spanCounter = tracing ? new SpanCounter(args.zipkin) : undefined;
  const spansEndpoint = await spanCounter?.start();
  let spansBefore = 0;
  const { stack, operatorKey } = await startIsolatedStack({
    name: 'bench',
    basePort,
    databaseUrl,
    kafkaBrokers: brokers,
    env: {
      PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '5',
      PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS: '2',
      ...(tracing ? {} : { OTEL_SDK_DISABLED: 'true' }),
      ...(spansEndpoint ? { OTEL_EXPORTER_ZIPKIN_ENDPOINT: spansEndpoint } : {}),
    },
    overrides: maxBacklog !== undefined ? { orders: { ADMISSION_MAX_BACKLOG: maxBacklog } } : undefined,
    nodeArgs,
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
  let cpuSeconds: Record<string, number>;
  let loadWindow: { from: number; to: number };
  const spawnedAt = Object.fromEntries(stack.processes().map((p) => [p.name, p.startedAt]));
  const cpuSources = stackCpuGroups({
    processes: () => stack.processes(),
    kafkaStateDir: process.env.KAFKA_STATE_DIR,
    databaseUrl,
  });
  try {
    await seedCatalog(
      { ordersUrl: stack.url('orders'), inventoryUrl: stack.url('inventory'), operatorKey },
      Math.ceil((orders + Number(args.warmup)) / 3) + 50,
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
    // Warm-up: the first orders of a fresh stack pay for JIT compilation, pool connections, the first provider
    // and supplier calls and consumer-group assignment; on a busy box they took more than the 10 s that
    // sustained_per_s allows, so a ramp's first window "fell behind" at a tenth of its rate.
    const warmup = Number(args.warmup);
    if (warmup > 0) {
      const warm = await runLoad({
        endpoints: {
          ordersUrl: stack.url('orders'),
          sandboxUrl,
          deliveryUrl: stack.url('delivery'),
          operatorKey,
        },
        orders: warmup,
        rateAt: () => 2,
        drainTimeoutMs: 120_000,
      });
      console.error(
        `warm-up: ${warm.summary.completed}/${warmup} orders completed in ${warm.seconds.toFixed(0)} s`,
      );
    }
    const sampler = new PeakMemorySampler(() =>
      stack.processes().filter((p) => SERVICE_NAMES.includes(p.name)),
    ).start();
    const cpu = await new CpuSampler(cpuSources.groups).start();
    const commitsBefore = await databaseCommits(databaseUrl);
    // Ramp: from a tenth of the rate to the rate over the arrivals, to find where completions stop keeping up.
    const arrivalSeconds = orders / rate;
    const rateAt =
      scenario === 'ramp'
        ? (s: number) => rate / 10 + ((rate * 9) / 10) * Math.min(1, s / (arrivalSeconds * 0.55))
        : () => rate;
    const loadFrom = Date.now();
    spansBefore = spanCounter?.spans ?? 0;
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
    loadWindow = { from: loadFrom, to: Date.now() };
    commitsPerOrder = (await databaseCommits(databaseUrl)) - commitsBefore;
    commitsPerOrder = result.summary.completed > 0 ? commitsPerOrder / result.summary.completed : NaN;
    memory = sampler.stop();
    cpuSeconds = await cpu.stop();
    await setSupplierFaults(suppliersUrl, 'primary', { recover: true });
    await setPaymentFaults(sandboxUrl, {});
  } finally {
    await cpuSources.close();
    await stack.stop();
  }
  // After the stack stopped: each service flushed its last spans on the way out.
  const spans = spanCounter ? spanCounter.spans - spansBefore : undefined;
  const zipkin = args.zipkin
    ? { ...(await zipkinAnswers(args.zipkin)), forward_failures: spanCounter?.forwardFailures ?? 0 }
    : undefined;
  await spanCounter?.stop();
  console.error(`\n${formatReport(result)}`);
  const profiles = args.profile ? printProfiles(spawnedAt, loadWindow) : undefined;

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
    shed: s.shed,
    shed_responses: s.shed_responses,
    paid_not_completed: s.paid_not_completed,
    sustained_per_s: s.sustained_per_s,
    sustained_windows: s.sustained_windows,
    sustained_definition:
      `highest arrivals/s of a ${SUSTAINED_DEFAULTS.windowMs / 1000}-s window in which ≥ ${SUSTAINED_DEFAULTS.minShare * 100} % ` +
      `of the arrivals had their goods within ${SUSTAINED_DEFAULTS.maxLagMs / 1000} s, before the first window that did not`,
    throughput_per_s: Number(result.throughputPerSecond.toFixed(1)),
    peak_completed_per_s_5s: s.peak_completed_per_s_5s,
    seconds: Number(result.seconds.toFixed(1)),
    e2e_ms: s.e2e_ms,
    checkout_to_notified_ms: s.checkout_to_notified_ms,
    stages_ms: s.stages_ms,
    supplier_switches: s.supplier_switches,
    callbacks_recovered_by_active_query: s.callbacks_recovered_by_active_query,
    memory_peak_mib: memory,
    cpu_s_per_order: perOrder(cpuSeconds, s.completed),
    tracing: tracing ? 'on' : 'off',
    /** Spans the services exported during the load, per completed order (null with --no-tracing). */
    spans_per_order: spans !== undefined && s.completed > 0 ? Number((spans / s.completed).toFixed(1)) : null,
    spans_exported: spans ?? null,
    ...(zipkin ? { zipkin } : {}),
    admission_max_backlog: maxBacklog ?? 'service default',
    warmup_orders: Number(args.warmup),
    base_port: basePort,
    ...(profiles ? { profiles } : {}),
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
  process.exit(s.lost > 0 || s.duplicated > 0 || s.paid_not_completed > 0 ? 1 : 0);
}

/** CPU seconds per completed order for each process group, and in total (null when nothing completed). */
function perOrder(cpuSeconds: Record<string, number>, completed: number): Record<string, number | null> {
  const total = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
  const per = (seconds: number) => (completed > 0 ? Number((seconds / completed).toFixed(4)) : null);
  const sorted = Object.entries(cpuSeconds).sort((a, b) => b[1] - a[1]);
  return { ...Object.fromEntries(sorted.map(([name, seconds]) => [name, per(seconds)])), total: per(total) };
}

/**
 * Each service's top self-time functions from the profile it wrote at exit, counting only the samples of the
 * load (from the first arrival to the end of the drain, placed in the profile by the service's spawn time),
 * on stderr; the top 5 for the JSON.
 */
function printProfiles(
  spawnedAt: Record<string, number | undefined>,
  load: { from: number; to: number },
): Record<string, HotFunction[]> {
  const profiles: Record<string, HotFunction[]> = {};
  for (const service of SERVICE_NAMES) {
    const spawned = spawnedAt[service];
    const window = spawned ? { fromMs: load.from - spawned, toMs: load.to - spawned } : undefined;
    const hot = hotFunctionsIn(path.join(PROFILES_DIR, service), 10, window);
    if (!hot) {
      console.error(`\n${service}: no CPU profile written (did it exit normally?)`);
      continue;
    }
    profiles[service] = hot.functions.slice(0, 5);
    console.error(`\n${service} — top self time (${path.relative(REPO_ROOT, hot.file)}):`);
    for (const f of hot.functions)
      console.error(
        `  ${String(f.selfMs).padStart(7)} ms  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.function}`,
      );
  }
  return profiles;
}

// Ctrl-C or a kill: exit through process.exit so the stack's exit hook takes its processes down too
// (a process ended by a signal's default action runs no exit hooks and would leave them orphaned).
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
