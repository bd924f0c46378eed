import { mkdtempSync } from 'node:fs';
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

  constructor(basePort = 43000 + Math.floor(Math.random() * 8000)) {
    const keys = mkdtempSync(path.join(tmpdir(), 'pipeline-keys-'));
    const common = { DATABASE_URL: testDatabaseUrl() };
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
        OPERATOR_API_KEYS: formatApiKeyRecord(this.operator.record),
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${basePort + 1}`,
        ORDERS_PUBLIC_URL: `http://127.0.0.1:${basePort + 2}`,
      },
    });
  }

  async start(): Promise<void> {
    await withPgClient((client) =>
      client.query('DROP SCHEMA IF EXISTS orders CASCADE; DROP SCHEMA IF EXISTS payments CASCADE'),
    );
    await this.sandbox.start();
    await Promise.all([this.payments.start(), this.orders.start()]);
  }

  async stop(): Promise<void> {
    await Promise.all([this.orders.stop(), this.payments.stop()]);
    await this.sandbox.stop();
  }

  /** fetch with the operator key, answering parsed JSON. */
  async operatorGet(url: string): Promise<any> {
    const response = await fetch(url, { headers: { authorization: `Bearer ${this.operator.key}` } });
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return response.json();
  }
}
