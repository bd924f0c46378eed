import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  freePorts,
  payLinkTestKeys,
  ServiceProcess,
  SmtpSink,
  startTwoAtATime,
  testDatabaseUrl,
  withPgClient,
} from '@keyflow/testing';

const SANDBOX_SERIAL = 'PIPELINE0000000000000000000SERIAL';
const ALIPAY = { appId: '2021000000000077', sellerId: '2088000000000077' };
const SCHEMAS = ['orders', 'payments', 'inventory', 'risk', 'delivery', 'notification'];
/** The sandbox suppliers delivery buys from, in this order, for supplier SKUs. */
export const SUPPLIER_IDS = ['primary', 'backup'];
const rsaKeyPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

export interface PipelineOptions {
  realProviderClients?: boolean;
  /** Added to every pipeline service's environment (e.g. a Zipkin endpoint). */
  extraEnv?: Record<string, string>;
}

/**
 * The pipeline's six services as separate processes, wired to each other only through Kafka (and the
 * buyer's and provider's HTTP calls), plus the outside world they talk to: the sandbox payment provider,
 * the sandbox suppliers and a real SMTP server standing for the buyers' inboxes.
 */
export class Pipeline {
  readonly operator = generateApiKey('pipeline-e2e', ['admin']);
  readonly sandbox: ServiceProcess;
  readonly payments: ServiceProcess;
  readonly orders: ServiceProcess;
  readonly inventory: ServiceProcess;
  readonly risk: ServiceProcess;
  readonly suppliers: ServiceProcess;
  readonly delivery: ServiceProcess;
  readonly notification: ServiceProcess;
  /** The buyers' inboxes: a real SMTP server keeping every email notification sends. */
  readonly smtp = new SmtpSink();
  private readonly smtpPort: number;
  /** delivery's private sealing key: what delivery uses to open the keys inventory sealed. */
  readonly deliveryPrivateKey: string;
  /** orders' pay-link signing key (PEM): must never show in a log, span or message. */
  readonly payLinkSigningKey: string;

  /**
   * The pipeline with every service on a port the kernel says is free. With `realProviderClients`,
   * payment-callback talks to the sandbox through the real providers' clients (the stripe SDK, alipay-sdk,
   * WeChat Pay v3) and their wire formats, instead of the sandbox's own JSON API.
   */
  static async create(otlpEndpoint: string, options: PipelineOptions = {}): Promise<Pipeline> {
    return new Pipeline(otlpEndpoint, await freePorts(9), options);
  }

  private constructor(otlpEndpoint: string, ports: number[], options: PipelineOptions) {
    const extraEnv = options.extraEnv ?? {};
    const [sandboxPort, paymentsPort, ordersPort, suppliersPort, inventoryPort, riskPort] = ports;
    const [deliveryPort, notificationPort, smtpPort] = ports.slice(6);
    this.smtpPort = smtpPort!;
    const keys = mkdtempSync(path.join(tmpdir(), 'pipeline-keys-'));
    const sealing = rsaKeyPair();
    const notificationSealing = rsaKeyPair();
    this.deliveryPrivateKey = sealing.privateKey;
    writeFileSync(path.join(keys, 'delivery-sealing-public.pem'), sealing.publicKey);
    writeFileSync(path.join(keys, 'delivery-sealing-private.pem'), sealing.privateKey, { mode: 0o600 });
    writeFileSync(path.join(keys, 'notification-sealing-private.pem'), notificationSealing.privateKey, {
      mode: 0o600,
    });
    const payLink = payLinkTestKeys();
    this.payLinkSigningKey = payLink.signingKey;
    const common = {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: formatApiKeyRecord(this.operator.record),
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...extraEnv,
    };
    this.sandbox = new ServiceProcess({
      entry: 'apps/sandbox-payment-provider/src/main.ts',
      port: sandboxPort!,
      env: {
        SANDBOX_KEYS_DIR: keys,
        SANDBOX_CALLBACK_SCHEDULE_MS: '0,500,1000',
        SANDBOX_ALIPAY_APP_ID: ALIPAY.appId,
        SANDBOX_ALIPAY_SELLER_ID: ALIPAY.sellerId,
        SANDBOX_WECHAT_SERIAL: SANDBOX_SERIAL,
        SANDBOX_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${paymentsPort}/v1/callbacks/stripe`,
      },
    });
    const realClients = {
      STRIPE_SECRET_KEY_FILE: path.join(keys, 'stripe-secret-key'),
      STRIPE_API_URL: `http://127.0.0.1:${sandboxPort}`,
      ALIPAY_APP_PRIVATE_KEY_FILE: path.join(keys, 'alipay-app-private.pem'),
      ALIPAY_GATEWAY_URL: `http://127.0.0.1:${sandboxPort}/gateway.do`,
      WECHAT_MCH_PRIVATE_KEY_FILE: path.join(keys, 'wechat-merchant-private.pem'),
      WECHAT_MCH_SERIAL: 'PIPELINE0000000000000000MERCHANT',
      WECHAT_MCH_ID: '1900000000',
      WECHAT_APP_ID: 'wx0000000000sandbox',
      WECHAT_API_URL: `http://127.0.0.1:${sandboxPort}`,
    };
    this.payments = new ServiceProcess({
      entry: 'apps/payment-callback/src/main.ts',
      port: paymentsPort!,
      env: {
        ...common,
        PAYMENT_PROVIDER_URL: `http://127.0.0.1:${sandboxPort}`,
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${paymentsPort}`,
        ALIPAY_PUBLIC_KEY_FILE: path.join(keys, 'alipay-public.pem'),
        ALIPAY_APP_ID: ALIPAY.appId,
        ALIPAY_SELLER_ID: ALIPAY.sellerId,
        WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(keys, 'wechat-platform-public.pem'),
        WECHAT_APIV3_KEY_FILE: path.join(keys, 'wechat-apiv3.key'),
        WECHAT_PLATFORM_SERIAL: SANDBOX_SERIAL,
        STRIPE_WEBHOOK_SECRET_FILE: path.join(keys, 'stripe-webhook-secret'),
        PAY_LINK_PUBLIC_KEY: payLink.publicKey,
        PAYMENT_WORKER_POLL_MS: '200',
        ...(options.realProviderClients ? realClients : {}),
      },
    });
    this.orders = new ServiceProcess({
      entry: 'apps/orders/src/main.ts',
      port: ordersPort!,
      env: {
        ...common,
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${paymentsPort}`,
        ORDERS_PUBLIC_URL: `http://127.0.0.1:${ordersPort}`,
        PAY_LINK_SIGNING_KEY: payLink.signingKey,
      },
    });
    this.inventory = new ServiceProcess({
      entry: 'apps/inventory/src/main.ts',
      port: inventoryPort!,
      env: {
        ...common,
        INVENTORY_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        INVENTORY_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
        DELIVERY_SEALING_PUBLIC_KEY_FILE: path.join(keys, 'delivery-sealing-public.pem'),
      },
    });
    this.risk = new ServiceProcess({
      entry: 'apps/risk-control/src/main.ts',
      port: riskPort!,
      env: common,
    });
    this.suppliers = new ServiceProcess({
      entry: 'apps/sandbox-suppliers/src/main.ts',
      port: suppliersPort!,
      env: { SANDBOX_SUPPLIERS: SUPPLIER_IDS.join(',') },
    });
    this.delivery = new ServiceProcess({
      entry: 'apps/delivery/src/main.ts',
      port: deliveryPort!,
      env: {
        ...common,
        DELIVERY_SEALING_PRIVATE_KEY_FILE: path.join(keys, 'delivery-sealing-private.pem'),
        NOTIFICATION_SEALING_PUBLIC_KEY: notificationSealing.publicKey,
        DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        DELIVERY_SUPPLIERS: JSON.stringify(
          SUPPLIER_IDS.map((id) => ({
            id,
            kind: 'http-json',
            baseUrl: `http://127.0.0.1:${suppliersPort}/suppliers/${id}`,
          })),
        ),
        DELIVERY_WORKER_INTERVAL_MS: '100',
      },
    });
    this.notification = new ServiceProcess({
      entry: 'apps/notification/src/main.ts',
      port: notificationPort!,
      env: {
        ...common,
        NOTIFICATION_SEALING_PRIVATE_KEY_FILE: path.join(keys, 'notification-sealing-private.pem'),
        SMTP_URL: `smtp://127.0.0.1:${this.smtpPort}`,
        SMTP_FROM: 'Pipeline shop <shop@example.com>',
        NOTIFICATION_BUYER_CHANNELS: 'email',
        NOTIFICATION_WORKER_POLL_MS: '200',
      },
    });
  }

  get services(): ServiceProcess[] {
    return [...this.pipelineServices, this.sandbox, this.suppliers];
  }

  /** The six services of the pipeline itself, in the order an order passes them. */
  get pipelineServices(): ServiceProcess[] {
    return [this.orders, this.payments, this.risk, this.inventory, this.delivery, this.notification];
  }

  async start(): Promise<void> {
    await withPgClient((client) =>
      client.query(SCHEMAS.map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE;`).join(' ')),
    );
    await Promise.all([this.sandbox.start(), this.suppliers.start(), this.smtp.start(this.smtpPort)]);
    // Two at a time: six services compiling and migrating at once starved a loaded 2-core machine past
    // the 60 s readiness deadline (each alone is ready in about 6 s).
    await startTwoAtATime(this.pipelineServices);
  }

  async stop(): Promise<void> {
    await Promise.all(this.pipelineServices.map((service) => service.stop()));
    await Promise.all([this.sandbox.stop(), this.suppliers.stop(), this.smtp.stop()]);
  }

  /** An operator call; throws with the answer when it is not 2xx. */
  async operatorCall(
    url: string,
    method: string,
    body: unknown,
    contentType = 'application/json',
  ): Promise<any> {
    const response = await fetch(url, {
      method,
      headers: { 'content-type': contentType, authorization: `Bearer ${this.operator.key}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** fetch with the operator key, answering parsed JSON. */
  async operatorGet(url: string): Promise<any> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.operator.key}` } });
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return response.json();
  }
}
