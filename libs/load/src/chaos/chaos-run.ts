import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { OtlpReceiver } from '@keyflow/testing';

import { seedCatalog } from '../driver/demo-catalog';
import { setPaymentFaults, setSupplierFaults } from '../driver/sandbox-faults';
import { startIsolatedStack } from '../harness/isolated-stack';
import { runLoad } from '../load-run';
import type { LoadSummary } from '../report/load-summary';
import { type ProcessName, SERVICE_NAMES } from '../stack/stack-definition';
import { checkInvariants, duplicateGoodsEmails, findCanaries } from './invariants';
import type { KafkaBroker } from './kafka-broker';
import type { PrivatePostgres } from './private-postgres';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const execFileAsync = promisify(execFile);

export interface ChaosOptions {
  orders: number;
  rate: number;
  basePort: number;
  kafkaBrokers: string;
  broker: KafkaBroker;
  postgres: PrivatePostgres;
  /** Mean seconds between random kill -9s of a service. */
  killEverySeconds?: number;
  progress?: boolean;
  log?: (line: string) => void;
  random?: () => number;
}

export interface ChaosAction {
  at_s: number;
  action: string;
  target: string;
  pid?: number;
}

export interface ChaosReport {
  orders: number;
  completed: number;
  lost: number;
  duplicated_deliveries: number;
  duplicate_emails: number;
  oversold: number;
  keys_in_two_orders: number;
  non_terminal: number;
  canary_hits: number;
  /** The search's control: canary keys found where they belong, in the buyers' goods emails. */
  canaries_found_in_goods_emails: number;
  kills: number;
  restarts: number;
  crash_points_hit: number;
  stopped: Record<string, number>;
  buyer_errors: number;
  actions: ChaosAction[];
  details: {
    summary: LoadSummary;
    non_terminal_samples: string[];
    canary_hit_samples: Array<{ where: string; canary: string }>;
    searched: Record<string, number>;
  };
}

/** Named narrow windows, each armed for one start of one service (test-only environment switches). */
const CRASH_POINTS: Array<{ service: ProcessName; env: Record<string, string>; label: string }> = [
  {
    service: 'delivery',
    env: { KEYFLOW_CRASH_AT: 'delivery.after-purchase' },
    label: 'supplier answered, not yet recorded',
  },
  {
    service: 'inventory',
    env: { KEYFLOW_CRASH_AT: 'consumer.after-commit-before-offset' },
    label: 'committed, offset not yet committed',
  },
  {
    service: 'orders',
    env: { KEYFLOW_CRASH_AT: 'relay.after-publish-before-mark' },
    label: 'relay published, outbox not yet marked',
  },
];

/** True when the run is broken: any invariant from DESIGN.md does not hold. */
export function chaosBroken(report: ChaosReport): boolean {
  return (
    report.lost > 0 ||
    report.duplicated_deliveries > 0 ||
    report.oversold > 0 ||
    report.keys_in_two_orders > 0 ||
    report.non_terminal > 0 ||
    report.canary_hits > 0
  );
}

/**
 * Orders flow while the run kills services with SIGKILL at random moments and restarts them, restarts the
 * broker once and crashes Postgres once, arms the named crash points, loses and duplicates callbacks and
 * flaps the primary supplier. Then it waits for the pipeline to settle and checks the invariants against the
 * services' tables, the SMTP sink, and every log, exported span, Kafka message and database dump (for the
 * canary keys imported at the start).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const random = options.random ?? Math.random;
  const receiver = new OtlpReceiver();
  const spanHaystack: string[] = [];
  let spanBytes = 0;
  receiver.onPayload((body) => {
    spanBytes += body.length;
    spanHaystack.push(body);
  });
  const otlp = await receiver.start();
  const actions: ChaosAction[] = [];
  const began = Date.now();
  const note = (action: string, target: string, pid?: number) => {
    actions.push({
      at_s: Number(((Date.now() - began) / 1000).toFixed(1)),
      action,
      target,
      ...(pid ? { pid } : {}),
    });
    log(`chaos: ${action} ${target}${pid ? ` (pid ${pid})` : ''}`);
  };
  // A process that dies on its own is an armed crash point going off: start it again, unarmed. Operations on
  // one service run one after another (a crash point can fire while the run is still restarting it).
  const started: { stack?: Awaited<ReturnType<typeof startIsolatedStack>>['stack'] } = {};
  const queues = new Map<ProcessName, Promise<void>>();
  let busy = 0;
  const serially = (name: ProcessName, operation: () => Promise<void>): Promise<void> => {
    busy += 1;
    const next = (queues.get(name) ?? Promise.resolve())
      .then(operation)
      .catch((error) => log(`chaos: ${name}: ${(error as Error).message.split('\n')[0]}`))
      .finally(() => (busy -= 1));
    queues.set(name, next);
    return next;
  };
  const { stack, operatorKey } = await startIsolatedStack({
    name: 'chaos',
    basePort: options.basePort,
    databaseUrl: options.postgres.url,
    kafkaBrokers: options.kafkaBrokers,
    env: {
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_BSP_SCHEDULE_DELAY: '500',
      PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '5',
      PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS: '2',
      DELIVERY_UNKNOWN_OUTCOME_GIVE_UP_MS: '10000',
      // A killed service's partitions move to its successor after 6 s (the broker's minimum), not 30.
      KAFKA_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    },
    onUnexpectedExit: (name) => {
      const stack = started.stack;
      if (!stack) return;
      note('crash point hit', name);
      void serially(name, async () => {
        await stack.restart(name);
        note('restarted', name);
      });
    },
  });
  started.stack = stack;
  try {
    const canaries = [
      ...(
        await seedCatalog(
          { ordersUrl: stack.url('orders'), inventoryUrl: stack.url('inventory'), operatorKey },
          Math.ceil(options.orders / 3) + 30,
        )
      ).values(),
    ].flat();
    const sandboxUrl = stack.url('sandbox-payment-provider');
    const suppliersUrl = stack.url('sandbox-suppliers');
    await setPaymentFaults(sandboxUrl, { dropCallbackRate: 0.15, duplicate: 2 });

    const arrivalSeconds = options.orders / options.rate;
    let chaosDone = false;
    const killService = (name: ProcessName, extraEnv: Record<string, string> = {}, label = 'kill -9') =>
      serially(name, async () => {
        if (!stack.running(name)) return;
        note(label, name, stack.kill(name));
        await sleep(500 + random() * 1500);
        await stack.restart(name, extraEnv);
        note('restarted', name);
      });
    // The chaos starts once the run's observer is reading the topics (a broker restart during its start-up
    // would take the observer down, not the pipeline).
    let chaos: Promise<void> = Promise.resolve();
    const startChaos = async () => {
      const planStart = Date.now();
      const plan: Array<{ at: number; run: () => Promise<void> }> = [];
      const killEvery = options.killEverySeconds ?? Math.max(3, arrivalSeconds / 8);
      for (let t = killEvery * (0.5 + random()); t < arrivalSeconds; t += killEvery * (0.5 + random())) {
        const name = SERVICE_NAMES[Math.floor(random() * SERVICE_NAMES.length)];
        plan.push({ at: t, run: () => killService(name) });
      }
      plan.push({
        at: arrivalSeconds * 0.3,
        run: async () => {
          note('restart', 'kafka broker');
          await options.broker.restart();
          note('restarted', 'kafka broker');
        },
      });
      plan.push({
        at: arrivalSeconds * 0.6,
        run: async () => {
          note('crash (SIGQUIT, immediate shutdown)', 'postgres', await options.postgres.crash());
          await sleep(2000);
          await options.postgres.restart();
          note('restarted', 'postgres');
        },
      });
      CRASH_POINTS.forEach((point, i) =>
        plan.push({
          at: arrivalSeconds * (0.1 + 0.2 * i),
          run: () => killService(point.service, point.env, `arm crash point "${point.label}" in`),
        }),
      );
      for (let t = 4; t < arrivalSeconds; t += 8) {
        const down = Math.round(t / 8) % 2 === 0;
        plan.push({
          at: t,
          run: async () => {
            note(down ? 'supplier outage' : 'supplier recovered', 'primary');
            await setSupplierFaults(suppliersUrl, 'primary', down ? { outage: true } : { recover: true });
          },
        });
      }
      plan.sort((a, b) => a.at - b.at);
      // Steps start on time and overlap (a kill does not wait for the previous service's restart); steps
      // on one service still run one after another.
      const running: Array<Promise<void>> = [];
      for (const step of plan) {
        const wait = planStart + step.at * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        running.push(step.run().catch((error) => log(`chaos: step failed: ${(error as Error).message}`)));
      }
      await Promise.all(running);
      await setSupplierFaults(suppliersUrl, 'primary', { recover: true });
      await setPaymentFaults(sandboxUrl, {});
      chaosDone = true;
    };

    const result = await runLoad({
      endpoints: {
        ordersUrl: stack.url('orders'),
        sandboxUrl,
        deliveryUrl: stack.url('delivery'),
        operatorKey,
      },
      orders: options.orders,
      rateAt: () => options.rate,
      progress: options.progress,
      drainTimeoutMs: 300_000,
      faults: [
        {
          when: () => true,
          label: 'chaos',
          apply: async () => {
            chaos = startChaos();
          },
        },
      ],
      drainUntil: async () => {
        await chaos;
        // Every restarted service back and ready before waiting for the stragglers.
        while (busy > 0 || !chaosDone) await sleep(250);
      },
    });
    // Quiescence: the buyers have their goods; wait (bounded) until orders' own read model has recorded
    // every paid order's end too, since orders is the last to hear (it consumes everyone's events).
    const orderIds = await drivenOrderIds(options.postgres.url);
    let invariants = await checkInvariants(options.postgres.url, orderIds);
    const settleBy = Date.now() + 180_000;
    while (invariants.non_terminal > 0 && Date.now() < settleBy) {
      await sleep(2000);
      invariants = await checkInvariants(options.postgres.url, orderIds);
    }
    log(
      `chaos: settled ${((Date.now() - settleBy + 180_000) / 1000).toFixed(0)} s after the last buyer was served`,
    );
    const inbox = (await (await fetch(`${stack.url('dev-mail')}/messages`)).json()) as Array<{
      orderId?: string;
      purpose?: string;
    }>;
    await sleep(1500); // the last spans leave the exporters' batches
    const haystacks = [
      ...readLogs(stack.options.logDir),
      { name: 'exported spans (OTLP)', text: spanHaystack.join('\n') },
      { name: 'kafka topics', text: await dumpTopics(options.kafkaBrokers) },
      { name: 'database dump', text: await dumpDatabase(options.postgres) },
    ];
    const hits = findCanaries(canaries, haystacks);
    // The control: the goods emails are where the keys belong, so the search must find them there.
    const delivered = findCanaries(canaries, readMail(path.join(stack.options.stateDir, 'mail'))).length;
    const kills = actions.filter(
      (a) => a.action === 'kill -9' || a.action.startsWith('arm crash point'),
    ).length;
    return {
      orders: options.orders,
      completed: result.summary.completed,
      lost: result.summary.lost,
      duplicated_deliveries: Math.max(invariants.duplicated_deliveries, result.summary.duplicated),
      duplicate_emails: duplicateGoodsEmails(inbox),
      oversold: invariants.oversold,
      keys_in_two_orders: invariants.keys_in_two_orders,
      non_terminal: invariants.non_terminal,
      canary_hits: hits.length,
      canaries_found_in_goods_emails: delivered,
      kills,
      restarts: actions.filter((a) => a.action === 'restarted').length,
      crash_points_hit: actions.filter((a) => a.action === 'crash point hit').length,
      stopped: result.summary.stopped,
      buyer_errors: result.summary.buyer_errors,
      actions,
      details: {
        summary: result.summary,
        non_terminal_samples: invariants.non_terminal_samples,
        canary_hit_samples: hits.slice(0, 10),
        searched: Object.fromEntries(haystacks.map((h) => [h.name, h.text.length])),
      },
    };
  } finally {
    await stack.stop();
    await receiver.stop();
    log(`chaos: span payloads searched: ${spanBytes} bytes`);
  }
}

/** Every order the run placed: read back from orders' own table (the driver's list can miss none here). */
async function drivenOrderIds(databaseUrl: string): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ order_id: string }>('SELECT order_id FROM orders.order_view');
    return rows.map((row) => row.order_id);
  } finally {
    await db.end();
  }
}

function readMail(dir: string): Array<{ name: string; text: string }> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((file) => ({ name: `mail ${file}`, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

function readLogs(dir: string): Array<{ name: string; text: string }> {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.log'))
    .map((file) => ({ name: `log ${file}`, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/** Every message on every topic (DLQs included), from the beginning. */
async function dumpTopics(brokers: string): Promise<string> {
  const kafka = new Kafka({
    clientId: 'chaos-dump',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
  let expected = 0;
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) expected += Number(p.high) - Number(p.low);
  }
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `chaos-dump-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const chunks: string[] = [];
  let seen = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen += 1;
      chunks.push(`${message.key?.toString() ?? ''} ${message.value?.toString() ?? ''}`);
      for (const value of Object.values(message.headers ?? {})) chunks.push(String(value));
    },
  });
  const deadline = Date.now() + 60_000;
  while (seen < expected && Date.now() < deadline) await sleep(250);
  await consumer.disconnect();
  return chunks.join('\n');
}

async function dumpDatabase(postgres: PrivatePostgres): Promise<string> {
  const pgDump = fs.existsSync('/usr/bin/pg_dump') ? '/usr/bin/pg_dump' : 'pg_dump';
  const { stdout } = await execFileAsync(pgDump, ['--dbname', postgres.url, '--data-only'], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  return stdout;
}
