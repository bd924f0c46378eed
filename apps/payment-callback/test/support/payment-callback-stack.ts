import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { consumerGroupFor, Topics } from '@keyflow/contracts';
import { createKafkaClient, ensureTopics, kafkaSettingsFromEnv } from '@keyflow/messaging';
import {
  dropSchema,
  OrderSource,
  payLinkTestKeys,
  ServiceProcess,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  uniqueSchemaName,
  withPgClient,
  type ProbedMessage,
} from '@keyflow/testing';

import { ProviderSigning } from '../fixtures/provider-signing';

export const ALIPAY = { appId: '2021000000000042', sellerId: '2088000000000042' };
export const WECHAT_SERIAL = 'E2E0000000000000000000000000SERIAL';

/**
 * payment-callback as a separate process against the sandbox provider (another process), real Kafka and
 * Postgres: orders are published to orders.v1 by an outbox in the test (OrderSource), payments are read off
 * payments.v1. The test holds orders' pay-link private key, the service only the public half.
 */
export class PaymentCallbackStack {
  readonly keysDir = mkdtempSync(path.join(tmpdir(), 'sandbox-keys-'));
  readonly payLink = payLinkTestKeys();
  readonly source = new OrderSource(uniqueSchemaName('payment_e2e_orders'));
  readonly sandbox: ServiceProcess;
  readonly payments: ServiceProcess;
  probe!: TopicProbe;
  signing!: ProviderSigning;

  constructor() {
    // testPort(): below the ephemeral range, where a busy box's outgoing connections took 41000–49000 ports.
    const basePort = testPort();
    this.sandbox = new ServiceProcess({
      entry: 'apps/sandbox-payment-provider/src/main.ts',
      port: basePort,
      env: {
        SANDBOX_KEYS_DIR: this.keysDir,
        SANDBOX_CALLBACK_SCHEDULE_MS: '0,300,700,1500',
        SANDBOX_ALIPAY_APP_ID: ALIPAY.appId,
        SANDBOX_ALIPAY_SELLER_ID: ALIPAY.sellerId,
        SANDBOX_WECHAT_SERIAL: WECHAT_SERIAL,
      },
    });
    this.payments = new ServiceProcess({
      entry: 'apps/payment-callback/src/main.ts',
      port: basePort + 1,
      env: {
        DATABASE_URL: testDatabaseUrl(),
        PAYMENT_PUBLIC_URL: `http://127.0.0.1:${basePort + 1}`,
        PAYMENT_PROVIDER_URL: `http://127.0.0.1:${basePort}`,
        ALIPAY_PUBLIC_KEY_FILE: path.join(this.keysDir, 'alipay-public.pem'),
        ALIPAY_APP_ID: ALIPAY.appId,
        ALIPAY_SELLER_ID: ALIPAY.sellerId,
        WECHAT_PLATFORM_PUBLIC_KEY_FILE: path.join(this.keysDir, 'wechat-platform-public.pem'),
        WECHAT_APIV3_KEY_FILE: path.join(this.keysDir, 'wechat-apiv3.key'),
        WECHAT_PLATFORM_SERIAL: WECHAT_SERIAL,
        STRIPE_WEBHOOK_SECRET_FILE: path.join(this.keysDir, 'stripe-webhook-secret'),
        PAY_LINK_PUBLIC_KEY: this.payLink.publicKey,
        PAYMENT_ACTIVE_QUERY_AFTER_SECONDS: '2',
        PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS: '1',
        PAYMENT_WORKER_POLL_MS: '200',
      },
    });
  }

  async start(): Promise<this> {
    await dropSchema('payments');
    // Start the consumer group at the end of orders.v1: earlier runs' orders are not this test's business.
    const kafka = createKafkaClient(kafkaSettingsFromEnv('payment-e2e'));
    await ensureTopics(kafka, [{ topic: Topics.orders, numPartitions: 3, replicationFactor: 1 }]);
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({
      groupId: consumerGroupFor('payment-callback', Topics.orders),
      topic: Topics.orders,
      earliest: false,
    });
    await admin.disconnect();
    await this.source.start();
    await this.sandbox.start();
    this.signing = new ProviderSigning(this.keysDir);
    await this.payments.start();
    this.probe = await new TopicProbe([Topics.orders, Topics.payments]).start();
    return this;
  }

  async stop(): Promise<void> {
    if (process.env.E2E_SHOW_OUTPUT)
      console.log(`${this.payments.output.slice(-6000)}\n---\n${this.sandbox.output.slice(-3000)}`);
    await this.probe?.stop();
    await this.payments.stop();
    await this.sandbox.stop();
    await this.source.stop();
    await dropSchema(this.source.schema);
    rmSync(this.keysDir, { recursive: true, force: true });
  }

  eventsFor(type: string, orderId: string): ProbedMessage[] {
    return this.probe.where((m) => m.headers.ce_type === type && m.key === orderId);
  }

  async payInSandbox(paymentId: string): Promise<void> {
    const response = await fetch(`${this.sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' });
    if (response.status !== 200) throw new Error(`sandbox pay answered ${response.status}`);
  }

  setFaults(faults: object): Promise<Response> {
    return fetch(`${this.sandbox.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  }

  callbackVerdicts(orderId: string): Promise<string[]> {
    return withPgClient(async (client) => {
      const { rows } = await client.query(
        `SELECT verdict FROM "payments".callbacks WHERE order_id = $1 ORDER BY id`,
        [orderId],
      );
      return rows.map((row) => row.verdict as string);
    });
  }
}

export const dataOf = (message: ProbedMessage) => JSON.parse(message.value!).data as Record<string, unknown>;
export const traceIdOf = (message: ProbedMessage) => message.headers.traceparent?.split('-')[1];
