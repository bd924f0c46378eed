import path from 'node:path';

/** Where the repository is: libs/load/{src,dist}/stack → three levels up. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

export type ProcessName =
  | 'sandbox-payment-provider'
  | 'sandbox-suppliers'
  | 'dev-mail'
  | 'orders'
  | 'payment-callback'
  | 'inventory'
  | 'risk-control'
  | 'delivery'
  | 'notification'
  | 'console';

/** The six services of the pipeline, in start order; the rest are stand-ins for the outside world. */
export const SERVICE_NAMES: readonly ProcessName[] = [
  'orders',
  'payment-callback',
  'inventory',
  'risk-control',
  'delivery',
  'notification',
];
export const SANDBOX_NAMES: readonly ProcessName[] = [
  'sandbox-payment-provider',
  'sandbox-suppliers',
  'dev-mail',
];

export interface ProcessSpec {
  name: ProcessName;
  /** Built JavaScript entry (apps/<name>/dist/main.js) or a plain script. */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** Options for node itself, before the entry (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

export interface StackOptions {
  /** Base of the port block: orders = base+1 … notification = base+6, provider +90, suppliers +91, mail +25/+26. */
  basePort: number;
  databaseUrl: string;
  kafkaBrokers: string;
  /** Where the sandbox provider writes its signing keys for payment-callback to read. */
  stateDir: string;
  /** Secrets and keys every service gets (dev secrets, operator keys, tracing endpoints…). */
  env: Record<string, string>;
  /** The mail catcher's SMTP and HTTP ports (default base+25 and base+26). */
  mailPorts?: { smtp: number; http: number };
  /** Also run the operator console (apps/console) on basePort itself, after the services (npm start only). */
  console?: boolean;
  /** Per-process overrides (e.g. tighter timeouts for a benchmark). */
  overrides?: Partial<Record<ProcessName, Record<string, string>>>;
  /** Per-process options for node itself (e.g. `--cpu-prof --cpu-prof-dir …` for a profiled benchmark). */
  nodeArgs?: Partial<Record<ProcessName, string[]>>;
}

/**
 * A load generator sends every buyer from 127.0.0.1, which the per-address rate limits on checkout and on
 * the pay URL would (correctly) throttle as one abusive client. Stacks driven by the demo, the benchmark
 * and the chaos run lift them; production keeps the defaults.
 */
export const LOAD_GENERATOR_LIMITS: Record<string, string> = {
  CHECKOUT_RATE_LIMIT: '10000000',
  PAYMENT_RATE_LIMIT_PER_MINUTE: '10000000',
  PAYMENT_CALLBACK_RATE_LIMIT_PER_MINUTE: '10000000',
};

export const SUPPLIER_IDS = ['primary', 'backup'] as const;

/** The supplier routing delivery gets: primary first, backup second, each behind its own breaker. */
function supplierRoutes(suppliersPort: number): string {
  return JSON.stringify(
    SUPPLIER_IDS.map((id) => ({
      id,
      kind: 'http-json',
      baseUrl: `http://127.0.0.1:${suppliersPort}/suppliers/${id}`,
      breaker: { timeoutMs: 2000, errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 15000 },
      retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 },
    })),
  );
}

export function portOf(options: Pick<StackOptions, 'basePort' | 'mailPorts'>, name: ProcessName): number {
  if (name === 'dev-mail' && options.mailPorts) return options.mailPorts.http;
  const offsets: Record<ProcessName, number> = {
    orders: 1,
    'payment-callback': 2,
    inventory: 3,
    'risk-control': 4,
    delivery: 5,
    notification: 6,
    'sandbox-payment-provider': 90,
    'sandbox-suppliers': 91,
    'dev-mail': 26,
    console: 0,
  };
  return options.basePort + offsets[name];
}

/** Every process of the stack with its port and environment. */
export function defineStack(options: StackOptions): ProcessSpec[] {
  const keys = path.join(options.stateDir, 'sandbox-keys');
  const port = (name: ProcessName) => portOf(options, name);
  const smtpPort = options.mailPorts?.smtp ?? options.basePort + 25;
  const app = (name: ProcessName) => path.join(REPO_ROOT, 'apps', name, 'dist', 'main.js');
  const common: Record<string, string> = {
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    KAFKA_BROKERS: options.kafkaBrokers,
  };
  const specs: ProcessSpec[] = [
    {
      name: 'sandbox-payment-provider',
      entry: app('sandbox-payment-provider'),
      port: port('sandbox-payment-provider'),
      env: { SANDBOX_KEYS_DIR: keys },
    },
    {
      name: 'sandbox-suppliers',
      entry: app('sandbox-suppliers'),
      port: port('sandbox-suppliers'),
      env: { SANDBOX_SUPPLIERS: SUPPLIER_IDS.join(',') },
    },
    {
      name: 'dev-mail',
      entry: path.join(REPO_ROOT, 'scripts', 'dev-mail.js'),
      port: port('dev-mail'),
      env: { DEV_MAIL_SMTP_PORT: String(smtpPort), DEV_MAIL_DIR: path.join(options.stateDir, 'mail') },
    },
    {
      name: 'orders',
      entry: app('orders'),
      port: port('orders'),
      env: {
        ...common,
        PAYMENT_PUBLIC_URL: common.PAYMENT_PUBLIC_URL ?? `http://127.0.0.1:${port('payment-callback')}`,
        ORDERS_PUBLIC_URL: common.ORDERS_PUBLIC_URL ?? `http://127.0.0.1:${port('orders')}`,
        // Checkout's link to the buyer's status page, served by the console.
        ...(options.console ? { ORDER_STATUS_PAGE_URL: `http://127.0.0.1:${port('console')}` } : {}),
      },
    },
    {
      name: 'payment-callback',
      entry: app('payment-callback'),
      port: port('payment-callback'),
      env: {
        ...common,
        PAYMENT_PROVIDER_URL: `http://127.0.0.1:${port('sandbox-payment-provider')}`,
        PAYMENT_PUBLIC_URL: common.PAYMENT_PUBLIC_URL ?? `http://127.0.0.1:${port('payment-callback')}`,
        ALIPAY_PUBLIC_KEY_FILE: path.join(keys, 'alipay-public.pem'),
        ALIPAY_APP_ID: '2021000000000000',
        ALIPAY_SELLER_ID: '2088000000000000',
        WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(keys, 'wechat-platform-public.pem'),
        WECHAT_APIV3_KEY_FILE: path.join(keys, 'wechat-apiv3.key'),
        WECHAT_PLATFORM_SERIAL: '5157F09EFDC096DE15EBE81A47057A72',
        STRIPE_WEBHOOK_SECRET_FILE: path.join(keys, 'stripe-webhook-secret'),
        // payment-callback checks pay links with the public key only: it must not be able to make them.
        PAY_LINK_SIGNING_KEY: '',
        PAY_LINK_SIGNING_KEY_FILE: '',
      },
    },
    { name: 'inventory', entry: app('inventory'), port: port('inventory'), env: { ...common } },
    { name: 'risk-control', entry: app('risk-control'), port: port('risk-control'), env: { ...common } },
    {
      name: 'delivery',
      entry: app('delivery'),
      port: port('delivery'),
      env: { ...common, DELIVERY_SUPPLIERS: supplierRoutes(port('sandbox-suppliers')) },
    },
    {
      name: 'notification',
      entry: app('notification'),
      port: port('notification'),
      env: {
        ...common,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        SMTP_FROM: 'Keyflow demo shop <shop@keyflow.local>',
        NOTIFICATION_SHOP_NAME: 'Keyflow demo shop',
      },
    },
  ];
  if (options.console) {
    specs.push({
      name: 'console',
      entry: app('console'),
      port: port('console'),
      env: {
        CONSOLE_ORDERS_URL: `http://127.0.0.1:${port('orders')}`,
        CONSOLE_INVENTORY_URL: `http://127.0.0.1:${port('inventory')}`,
        CONSOLE_RISK_URL: `http://127.0.0.1:${port('risk-control')}`,
        CONSOLE_DELIVERY_URL: `http://127.0.0.1:${port('delivery')}`,
      },
    });
  }
  return specs.map((spec) => ({
    ...spec,
    env: { ...spec.env, ...options.overrides?.[spec.name] },
    nodeArgs: options.nodeArgs?.[spec.name] ?? [],
  }));
}
