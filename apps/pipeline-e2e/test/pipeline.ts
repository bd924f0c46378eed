import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import { ServiceProcess, testDatabaseUrl, withPgClient } from '@keyflow/testing';

const SANDBOX_SERIAL = 'PIPELINE0000000000000000000SERIAL';
const ALIPAY = { appId: '2021000000000077', sellerId: '2088000000000077' };

/**
 * The pipeline's services as separate processes, wired to each other only through Kafka (and the buyer's
 * and provider's HTTP calls), plus the sandbox payment provider. Grows as services gain their domains.
 */
export class Pipeline {
  readonly operator = generateApiKey('pipeline-e2e', ['admin']);
  readonly sandbox: ServiceProcess;
  readonly payments: ServiceProcess;
  readonly orders: ServiceProcess;
  readonly inventory: ServiceProcess;
  readonly risk: ServiceProcess;
  /** delivery's private sealing key: what delivery will use to open the keys inventory sealed. */
  readonly deliveryPrivateKey: string;

  constructor(otlpEndpoint: string, basePort = 43000 + Math.floor(Math.random() * 8000)) {
    const keys = mkdtempSync(path.join(tmpdir(), 'pipeline-keys-'));
    const sealing = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    this.deliveryPrivateKey = sealing.privateKey;
    writeFileSync(path.join(keys, 'delivery-sealing-public.pem'), sealing.publicKey);
    const common = {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: formatApiKeyRecord(this.operator.record),
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    this.sandbox = new ServiceProcess({
      entry: 'apps/sandbox-payment-provider/src/main.ts',
      port: basePort,
      env: {
        SANDBOX_KEYS_DIR: keys,
        SANDBOX_CALLBACK_SCHEDULE_MS: '0,500,1000',
        SANDBOX_ALIPAY_APP_ID: ALIPAY.appId,
        SANDBOX_ALIPAY_SELLER_ID: ALIPAY.sellerId,
        SANDBOX_WECHAT_SERIAL: SANDBOX_SERIAL,
      },
    });
    this.payments = new ServiceProcess({
      entry: 'apps/payment-callback/src/main.ts',
      port: basePort + 1,
      env: {
        ...common,
        PAYMENT_PROVIDER_URL: `http://127.0.0.1:${basePort}`,
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${basePort + 1}`,
        ALIPAY_PUBLIC_KEY_FILE: path.join(keys, 'alipay-public.pem'),
        ALIPAY_APP_ID: ALIPAY.appId,
        ALIPAY_SELLER_ID: ALIPAY.sellerId,
        WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(keys, 'wechat-platform-public.pem'),
        WECHAT_APIV3_KEY_FILE: path.join(keys, 'wechat-apiv3.key'),
        WECHAT_PLATFORM_SERIAL: SANDBOX_SERIAL,
        STRIPE_WEBHOOK_SECRET_FILE: path.join(keys, 'stripe-webhook-secret'),
        PAYMENT_WORKER_POLL_MS: '200',
      },
    });
    this.orders = new ServiceProcess({
      entry: 'apps/orders/src/main.ts',
      port: basePort + 2,
      env: {
        ...common,
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${basePort + 1}`,
        ORDERS_PUBLIC_URL: `http://127.0.0.1:${basePort + 2}`,
      },
    });
    this.inventory = new ServiceProcess({
      entry: 'apps/inventory/src/main.ts',
      port: basePort + 3,
      env: {
        ...common,
        INVENTORY_MASTER_KEYS: `k1:${randomBytes(32).toString('base64')}`,
        INVENTORY_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
        DELIVERY_SEALING_PUBLIC_KEY_FILE: path.join(keys, 'delivery-sealing-public.pem'),
      },
    });
    this.risk = new ServiceProcess({
      entry: 'apps/risk-control/src/main.ts',
      port: basePort + 4,
      env: common,
    });
  }

  get services(): ServiceProcess[] {
    return [this.sandbox, this.payments, this.orders, this.inventory, this.risk];
  }

  async start(): Promise<void> {
    await withPgClient((client) =>
      client.query(
        ['orders', 'payments', 'inventory', 'risk']
          .map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE;`)
          .join(' '),
      ),
    );
    await this.sandbox.start();
    await Promise.all([
      this.payments.start(),
      this.orders.start(),
      this.inventory.start(),
      this.risk.start(),
    ]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.orders.stop(), this.payments.stop(), this.inventory.stop(), this.risk.stop()]);
    await this.sandbox.stop();
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
