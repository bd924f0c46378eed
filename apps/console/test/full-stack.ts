import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  payLinkTestKeys,
  ServiceProcess,
  startTwoAtATime,
  testDatabaseUrl,
  withPgClient,
} from '@keyflow/testing';

const SANDBOX_SERIAL = 'CONSOLE00000000000000000000SERIAL';
const ALIPAY = { appId: '2021000000000088', sellerId: '2088000000000088' };
const SCHEMAS = ['orders', 'payments', 'inventory', 'risk', 'delivery', 'notification'];

/**
 * Every service of the pipeline as its own process (as `npm start` runs them), the sandbox payment
 * provider and suppliers in front, an SMTP catcher for the buyer's email, and the console on top.
 */
export class FullStack {
  readonly operator = generateApiKey('console-e2e', ['admin']);
  readonly sandbox: ServiceProcess;
  readonly suppliers: ServiceProcess;
  readonly mail: ServiceProcess;
  readonly payments: ServiceProcess;
  readonly orders: ServiceProcess;
  readonly inventory: ServiceProcess;
  readonly risk: ServiceProcess;
  readonly delivery: ServiceProcess;
  readonly notification: ServiceProcess;
  readonly console: ServiceProcess;

  /** Ports the OS says are free right now (eleven random picks collide more often than one would think). */
  static async create(): Promise<FullStack> {
    const ports: number[] = [];
    for (let i = 0; i < 11; i++) ports.push(await freePort());
    return new FullStack(ports);
  }

  private constructor(ports: number[]) {
    const keys = mkdtempSync(path.join(tmpdir(), 'console-e2e-keys-'));
    const file = (name: string, content: string) => {
      const at = path.join(keys, name);
      writeFileSync(at, content, { mode: 0o600 });
      return at;
    };
    const pair = () =>
      generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
    const deliverySealing = pair();
    const payLink = payLinkTestKeys();
    const notificationSealing = pair();
    const port = (offset: number) => ports[offset]!;
    const url = (offset: number) => `http://127.0.0.1:${port(offset)}`;
    const common = {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: formatApiKeyRecord(this.operator.record),
      ORDER_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    };
    const service = (entry: string, offset: number, env: Record<string, string> = {}) =>
      new ServiceProcess({ entry, port: port(offset), env: { ...common, ...env } });
    this.sandbox = service('apps/sandbox-payment-provider/src/main.ts', 0, {
      SANDBOX_KEYS_DIR: keys,
      SANDBOX_CALLBACK_SCHEDULE_MS: '0,500,1000',
      SANDBOX_ALIPAY_APP_ID: ALIPAY.appId,
      SANDBOX_ALIPAY_SELLER_ID: ALIPAY.sellerId,
      SANDBOX_WECHAT_SERIAL: SANDBOX_SERIAL,
    });
    this.suppliers = service('apps/sandbox-suppliers/src/main.ts', 1, {
      SANDBOX_SUPPLIERS: 'primary,backup',
    });
    this.mail = new ServiceProcess({
      entry: 'scripts/dev-mail.js',
      port: port(2),
      env: { DEV_MAIL_SMTP_PORT: String(port(3)) },
    });
    this.payments = service('apps/payment-callback/src/main.ts', 4, {
      PAYMENT_PROVIDER_URL: url(0),
      PAYMENT_PUBLIC_URL: url(4),
      ALIPAY_PUBLIC_KEY_FILE: path.join(keys, 'alipay-public.pem'),
      ALIPAY_APP_ID: ALIPAY.appId,
      ALIPAY_SELLER_ID: ALIPAY.sellerId,
      WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(keys, 'wechat-platform-public.pem'),
      WECHAT_APIV3_KEY_FILE: path.join(keys, 'wechat-apiv3.key'),
      WECHAT_PLATFORM_SERIAL: SANDBOX_SERIAL,
      STRIPE_WEBHOOK_SECRET_FILE: path.join(keys, 'stripe-webhook-secret'),
      PAY_LINK_PUBLIC_KEY: payLink.publicKey,
      PAYMENT_WORKER_POLL_MS: '200',
    });
    this.orders = service('apps/orders/src/main.ts', 5, {
      PAYMENT_PUBLIC_URL: url(4),
      ORDERS_PUBLIC_URL: url(5),
      ORDER_STATUS_PAGE_URL: url(10),
      PAY_LINK_SIGNING_KEY: payLink.signingKey,
    });
    this.inventory = service('apps/inventory/src/main.ts', 6, {
      INVENTORY_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      INVENTORY_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
      DELIVERY_SEALING_PUBLIC_KEY_FILE: file('delivery-public.pem', deliverySealing.publicKey),
    });
    this.risk = service('apps/risk-control/src/main.ts', 7);
    this.delivery = service('apps/delivery/src/main.ts', 8, {
      DELIVERY_SEALING_PRIVATE_KEY_FILE: file('delivery-private.pem', deliverySealing.privateKey),
      NOTIFICATION_SEALING_PUBLIC_KEY_FILE: file('notification-public.pem', notificationSealing.publicKey),
      DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_SUPPLIERS: JSON.stringify(
        ['primary', 'backup'].map((id) => ({
          id,
          kind: 'http-json',
          baseUrl: `${url(1)}/suppliers/${id}`,
          // Breakers that open on a short outage and try again after 2 s, so the test need not wait 30 s.
          breaker: {
            timeoutMs: 2000,
            errorThresholdPercentage: 50,
            volumeThreshold: 2,
            resetTimeoutMs: 2000,
          },
          retry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 100 },
        })),
      ),
      // A sandbox outage plays out in seconds: two attempts, then the order is escalated to a person.
      DELIVERY_MAX_ATTEMPTS: '2',
      DELIVERY_RETRY_BASE_MS: '500',
      DELIVERY_RETRY_MAX_MS: '1000',
      DELIVERY_WORKER_INTERVAL_MS: '200',
    });
    this.notification = service('apps/notification/src/main.ts', 9, {
      NOTIFICATION_SEALING_PRIVATE_KEY_FILE: file('notification-private.pem', notificationSealing.privateKey),
      SMTP_URL: `smtp://127.0.0.1:${port(3)}`,
      SMTP_FROM: 'Console e2e shop <shop@example.com>',
      NOTIFICATION_WORKER_POLL_MS: '200',
    });
    this.console = new ServiceProcess({
      entry: 'apps/console/src/main.ts',
      port: port(10),
      env: {
        CONSOLE_ORDERS_URL: url(5),
        CONSOLE_INVENTORY_URL: url(6),
        CONSOLE_RISK_URL: url(7),
        CONSOLE_DELIVERY_URL: url(8),
        KEYFLOW_TRACE_UI: 'http://127.0.0.1:9411/zipkin/',
        CONSOLE_SHOP_CONTACT: 'help@console-e2e.example',
      },
    });
  }

  get services(): ServiceProcess[] {
    return [
      this.sandbox,
      this.suppliers,
      this.mail,
      this.payments,
      this.orders,
      this.inventory,
      this.risk,
      this.delivery,
      this.notification,
      this.console,
    ];
  }

  /** Two at a time: ten TypeScript processes starting at once starve a small machine past the timeouts. */
  async start(): Promise<void> {
    await withPgClient((client) =>
      client.query(SCHEMAS.map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE;`).join(' ')),
    );
    await startTwoAtATime(this.services);
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
  }

  /** An operator call straight to a service; throws with the answer when it is not 2xx. */
  async call(url: string, method: string, body?: unknown, contentType = 'application/json'): Promise<any> {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': contentType, authorization: `Bearer ${this.operator.key}` },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
