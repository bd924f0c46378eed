// Runs the pipeline's services as separate processes on this machine (the main job's supervisor):
// builds them, starts each with its own log under .local/logs/, waits until every /health/ready answers,
// prints where everything is, and on Ctrl-C (SIGINT/SIGTERM) stops them gracefully in reverse order.
// Usage: node scripts/stack.js [--exit-when-healthy]
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const LOG_DIR = path.join(ROOT, '.local', 'logs');
const KEYS = path.join(ROOT, '.local', 'sandbox-keys');
// The sandbox payment provider stands in for Alipay / WeChat Pay / Stripe: it makes its signing keys on
// first start, and payment-callback is given the public halves, as a merchant would be by a real provider.
// Two stand-in suppliers (primary, backup) behind one sandbox server; delivery buys from them in order.
const SUPPLIERS = { name: 'sandbox-suppliers', port: 3091, env: { SANDBOX_SUPPLIERS: 'primary,backup' } };
const SUPPLIER_ROUTES = JSON.stringify(
  ['primary', 'backup'].map((id) => ({
    id,
    kind: 'http-json',
    baseUrl: `http://127.0.0.1:3091/suppliers/${id}`,
    breaker: { timeoutMs: 2000, errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 15000 },
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
  })),
);
const SANDBOX = {
  name: 'sandbox-payment-provider',
  port: 3090,
  env: { SANDBOX_KEYS_DIR: KEYS },
};
// The buyer's inbox for the demo: an SMTP catcher (scripts/dev-mail.js), messages under .local/mail/.
const MAIL = { name: 'dev-mail', port: 2526, script: path.join(ROOT, 'scripts', 'dev-mail.js') };
// The operator console and buyer status page (apps/console), in front of the services' HTTP APIs.
const CONSOLE = { name: 'console', port: 3000 };
const SERVICES = [
  { name: 'orders', port: 3001, env: { ORDER_STATUS_PAGE_URL: `http://127.0.0.1:${CONSOLE.port}` } },
  {
    name: 'payment-callback',
    port: 3002,
    env: {
      PAYMENT_PROVIDER_URL: 'http://127.0.0.1:3090',
      PAYMENT_PUBLIC_URL: process.env.PAYMENT_PUBLIC_URL ?? 'http://127.0.0.1:3002',
      ALIPAY_PUBLIC_KEY_FILE: path.join(KEYS, 'alipay-public.pem'),
      ALIPAY_APP_ID: '2021000000000000',
      ALIPAY_SELLER_ID: '2088000000000000',
      WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(KEYS, 'wechat-platform-public.pem'),
      WECHAT_APIV3_KEY_FILE: path.join(KEYS, 'wechat-apiv3.key'),
      WECHAT_PLATFORM_SERIAL: '5157F09EFDC096DE15EBE81A47057A72',
      STRIPE_WEBHOOK_SECRET_FILE: path.join(KEYS, 'stripe-webhook-secret'),
    },
  },
  { name: 'inventory', port: 3003 },
  { name: 'risk-control', port: 3004 },
  { name: 'delivery', port: 3005, env: { DELIVERY_SUPPLIERS: SUPPLIER_ROUTES } },
  {
    name: 'notification',
    port: 3006,
    env: {
      SMTP_URL: 'smtp://127.0.0.1:2525',
      SMTP_FROM: 'Keyflow demo shop <shop@keyflow.local>',
      NOTIFICATION_SHOP_NAME: 'Keyflow demo shop',
    },
  },
];
const exitWhenHealthy = process.argv.includes('--exit-when-healthy');
const children = new Map();
let stopping = false;

function start(service) {
  const log = fs.openSync(path.join(LOG_DIR, `${service.name}.log`), 'a');
  const entry = service.script ?? path.join(ROOT, 'apps', service.name, 'dist', 'main.js');
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(service.port), KAFKAJS_NO_PARTITIONER_WARNING: '1', ...service.env },
    stdio: ['ignore', log, log],
  });
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (!stopping) {
      console.error(`${service.name} exited (${signal ?? code}); see .local/logs/${service.name}.log`);
      shutdown(1);
    }
  });
  children.set(service.name, child);
}

async function ready(service) {
  try {
    const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

async function waitUntilHealthy(services, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(services.map((s) => s.name));
  while (pending.size > 0 && Date.now() < deadline && !stopping) {
    for (const service of services) {
      if (pending.has(service.name) && (await ready(service))) pending.delete(service.name);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return [...pending];
}

/** The demo's price list (orders charges from it); only with the development operator key. */
async function seedDemoProducts() {
  const key = process.env.KEYFLOW_DEV_OPERATOR_KEY;
  if (!key) return;
  const products = [
    { sku: 'STEAM-100', title: 'Steam wallet code 100', unitPriceMinor: 10000, currency: 'CNY' },
    { sku: 'NETFLIX-1M', title: 'Netflix gift card, 1 month', unitPriceMinor: 4500, currency: 'CNY' },
    { sku: 'WIN11-PRO', title: 'Windows 11 Pro licence key', unitPriceMinor: 19900, currency: 'CNY' },
  ];
  for (const { sku, ...product } of products) {
    const response = await fetch(`http://127.0.0.1:3001/v1/products/${sku}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(product),
    });
    if (!response.ok) console.error(`could not seed product ${sku}: HTTP ${response.status}`);
  }
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('stopping services…');
  const exits = [...children.values()].reverse().map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15000).unref();
      }),
  );
  await Promise.all(exits);
  process.exit(code);
}

(async () => {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  const startedAt = Date.now();
  start(SANDBOX);
  start(SUPPLIERS);
  start(MAIL);
  const sandboxDown = await waitUntilHealthy([SANDBOX, SUPPLIERS, MAIL], 60000);
  if (sandboxDown.length > 0) {
    console.error(`not started: ${sandboxDown.join(', ')} (see .local/logs/)`);
    return shutdown(1);
  }
  SERVICES.forEach(start);
  const unhealthy = await waitUntilHealthy(SERVICES, 90000);
  if (unhealthy.length > 0) {
    console.error(`not healthy after 90 s: ${unhealthy.join(', ')} (logs in .local/logs/)`);
    return shutdown(1);
  }
  console.log(
    `\nAll ${SERVICES.length} services are healthy after ${((Date.now() - startedAt) / 1000).toFixed(1)} s:\n`,
  );
  for (const service of SERVICES) {
    const health = await ready(service);
    const relay = health?.info?.outbox?.relay ?? '?';
    console.log(
      `  ${service.name.padEnd(17)} http://127.0.0.1:${service.port}/health/ready  ` +
        `database ${health?.info?.database?.status}, kafka ${health?.info?.kafka?.status}, outbox relay ${relay}`,
    );
  }
  await seedDemoProducts();
  start(CONSOLE);
  if ((await waitUntilHealthy([CONSOLE], 30000)).length > 0) {
    console.error('console not started (see .local/logs/console.log)');
    return shutdown(1);
  }
  console.log(
    `  ${SANDBOX.name.padEnd(17)} http://127.0.0.1:${SANDBOX.port}  (stands in for the payment providers)`,
  );
  console.log(
    `\nOperator console: http://127.0.0.1:${CONSOLE.port}/  (log in with the operator API key below; ` +
      `buyers' status pages are at /order/<id>?token=…, the statusPageUrl from checkout)`,
  );
  if (process.env.KEYFLOW_TRACE_UI) {
    console.log(`\nTraces: ${process.env.KEYFLOW_TRACE_UI}  (search by tag: order.id=<order id>)`);
  }
  console.log(`\nLogs: .local/logs/<service>.log   Kafka: ${process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'}`);
  if (process.env.KEYFLOW_DEV_OPERATOR_KEY) {
    console.log(
      `Operator API key (dev, admin): ${process.env.KEYFLOW_DEV_OPERATOR_KEY}  (kept in .local/dev-operator-key)`,
    );
    console.log(
      `Try: curl -s -XPOST localhost:3001/v1/orders -H 'content-type: application/json' ` +
        `-d '{"sku":"STEAM-100","quantity":1,"email":"buyer@example.com","paymentChannel":"alipay"}'`,
    );
  }
  if (exitWhenHealthy) return shutdown(0);
  console.log('Press Ctrl-C to stop.');
})();
