// The main job's supervisor (`npm start` runs it after the build): starts the sandboxes and the six services
// as separate processes (each logging to .local/logs/<name>.log), waits until every /health/ready answers,
// runs the demo load with a live progress line and prints its report, then keeps everything running for the
// console and the traces until Ctrl-C, which stops the services gracefully in reverse order.
// Usage: node scripts/stack.js [--exit-when-healthy] [--no-demo] [--exit-after-demo] [--orders N] [--rate R]
const path = require('node:path');
const { parseArgs } = require('node:util');
const {
  Stack,
  runDemoLoad,
  formatReport,
  formatDelayComparison,
  readConsoleOverview,
  SERVICE_NAMES,
  seedCatalog,
  LOAD_GENERATOR_LIMITS,
} = require('@keyflow/load');

const ROOT = path.resolve(__dirname, '..');
const { values: args } = parseArgs({
  options: {
    'exit-when-healthy': { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
    'exit-after-demo': { type: 'boolean', default: false },
    orders: { type: 'string', default: process.env.KEYFLOW_DEMO_ORDERS ?? '300' },
    rate: { type: 'string', default: process.env.KEYFLOW_DEMO_RATE ?? '15' },
  },
});
const operatorKey = process.env.KEYFLOW_DEV_OPERATOR_KEY;
// The demo's buyers all come from this machine: lift the per-address limits unless --no-demo.
// Lost callbacks are looked up after 15 s instead of the production default of 2 minutes, so the demo's
// recoveries happen while you watch.
const env = args['no-demo'] ? {} : { ...LOAD_GENERATOR_LIMITS, PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '15' };
for (const name of ['PAYMENT_PUBLIC_URL', 'ORDERS_PUBLIC_URL'])
  if (process.env[name]) env[name] = process.env[name];

let stopping = false;
const stack = new Stack(
  {
    basePort: 3000,
    mailPorts: { smtp: 2525, http: 2526 },
    databaseUrl: process.env.DATABASE_URL,
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    stateDir: path.join(ROOT, '.local'),
    logDir: path.join(ROOT, '.local', 'logs'),
    console: true,
    env,
  },
  {
    onUnexpectedExit: (name, code, signal) => {
      console.error(`\n${name} exited (${signal ?? code}); see .local/logs/${name}.log`);
      void shutdown(1);
    },
  },
);

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping services…');
  await stack.stop();
  process.exit(code);
}

async function printHealth(startedAt) {
  console.log(
    `\nAll ${SERVICE_NAMES.length} services are healthy after ${((Date.now() - startedAt) / 1000).toFixed(1)} s:\n`,
  );
  for (const name of SERVICE_NAMES) {
    const health = await stack.ready(name);
    const relay = health?.info?.outbox?.relay ?? '?';
    console.log(
      `  ${name.padEnd(17)} ${stack.url(name)}/health/ready  ` +
        `database ${health?.info?.database?.status}, kafka ${health?.info?.kafka?.status}, outbox relay ${relay}`,
    );
  }
}

function printWhereThingsAre() {
  console.log('');
  console.log(
    `  Operator console            ${stack.url('console')}/  (log in with the operator API key below; ` +
      'buyer status pages: the statusPageUrl from checkout)',
  );
  console.log(`  Payment provider (sandbox)  ${stack.url('sandbox-payment-provider')}`);
  console.log(
    `  Suppliers (sandbox)         ${stack.url('sandbox-suppliers')}/suppliers/{primary,backup}/stats`,
  );
  console.log(`  Buyer inbox (SMTP catcher)  ${stack.url('dev-mail')}/messages`);
  if (process.env.KEYFLOW_TRACE_UI) {
    console.log(
      `  Traces                      ${process.env.KEYFLOW_TRACE_UI}  (search by tag: order.id=<order id>)`,
    );
  }
  console.log(
    '  Jaeger (docker compose)      http://localhost:16686  (service orders, tag order.id=<order id>)',
  );
  console.log(
    `  API docs                    ${stack.url('orders')}/docs (each service serves its own /docs)`,
  );
  console.log(`  Logs                        .local/logs/<service>.log   Kafka ${process.env.KAFKA_BROKERS}`);
  if (operatorKey) {
    console.log(`  Operator API key (dev)      ${operatorKey}  (kept in .local/dev-operator-key)`);
  }
}

(async () => {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const startedAt = Date.now();
  try {
    await stack.start();
  } catch (error) {
    console.error(error.message);
    return shutdown(1);
  }
  await printHealth(startedAt);
  if (args['exit-when-healthy']) return shutdown(0);

  let exitCode = 0;
  if (!operatorKey) {
    console.log(
      '\nNo KEYFLOW_DEV_OPERATOR_KEY (OPERATOR_API_KEYS was given): the demo catalog and load are skipped.',
    );
  } else if (args['no-demo']) {
    await seedCatalog(
      { ordersUrl: stack.url('orders'), inventoryUrl: stack.url('inventory'), operatorKey },
      20,
    );
  } else {
    const orders = Number(args.orders);
    const rate = Number(args.rate);
    console.log(
      `\nDemo load: ${orders} orders at ${rate}/s; 10% of payment callbacks lost; ` +
        'the primary supplier goes down when 1/3 are delivered and comes back at 2/3.\n',
    );
    const result = await runDemoLoad(stack, { orders, rate, operatorKey, progress: true });
    console.log(`\n${formatReport(result)}`);
    // The console's own numbers beside the load's: what an operator sees must be what happened.
    const shown = await readConsoleOverview(stack.url('console'), operatorKey, { paid: result.delay.paid });
    console.log(formatDelayComparison(result.delay, shown));
    if (result.summary.lost > 0 || result.summary.duplicated > 0) {
      console.error('\nThe promise was broken (orders lost or delivered twice): see the report above.');
      exitCode = 1;
    }
  }
  printWhereThingsAre();
  if (args['exit-after-demo']) return shutdown(exitCode);
  console.log('\nEverything keeps running for you to look around. Press Ctrl-C to stop.');
})().catch((error) => {
  console.error(error);
  void shutdown(1);
});
