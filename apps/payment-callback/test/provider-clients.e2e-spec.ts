import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { payLinkTestKeys, ServiceProcess, testPort } from '@keyflow/testing';

import { type PaymentProviderPort } from '../src/payments/application/payment-provider.port';
import { loadPaymentsConfig } from '../src/payments/config/payments.config';
import { outTradeNoOf } from '../src/payments/domain/out-trade-no';
import { type ProviderKind } from '../src/payments/domain/provider-kind';
import { ProviderRouter } from '../src/payments/infrastructure/providers/provider-router';

const WECHAT = { mchId: '1900000000', appId: 'wx0000000000sandbox', serial: 'E2E000000000000000000PLATFORM' };

/**
 * Each real provider client (stripe SDK, alipay-sdk, wechatpay-axios-plugin) against the sandbox provider
 * speaking that provider's wire format, as a separate process: create, query before and after the buyer
 * pays, refund (idempotent by key), and refusals when the keys are not the ones the other side holds.
 */
describe('payment-callback: the real provider clients against the sandbox’s wire formats', () => {
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sandbox-keys-'));
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-payment-provider/src/main.ts',
    port: testPort(),
    env: {
      SANDBOX_KEYS_DIR: keysDir,
      // Nobody listens there: this test is about the API calls, not the notifications.
      SANDBOX_STRIPE_WEBHOOK_URL: 'http://127.0.0.1:9/v1/callbacks/stripe',
      SANDBOX_CALLBACK_SCHEDULE_MS: '60000',
      SANDBOX_WECHAT_SERIAL: WECHAT.serial,
    },
  });
  const stranger = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const file = (name: string) => path.join(keysDir, name);
  const envFor = (overrides: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    PAYMENT_PUBLIC_URL: 'http://127.0.0.1:9',
    PAY_LINK_PUBLIC_KEY: payLinkTestKeys().publicKey,
    STRIPE_WEBHOOK_SECRET_FILE: file('stripe-webhook-secret'),
    STRIPE_SECRET_KEY_FILE: file('stripe-secret-key'),
    STRIPE_API_URL: sandbox.url,
    ALIPAY_PUBLIC_KEY_FILE: file('alipay-public.pem'),
    ALIPAY_APP_ID: '2021000000000000',
    ALIPAY_SELLER_ID: '2088000000000000',
    ALIPAY_APP_PRIVATE_KEY_FILE: file('alipay-app-private.pem'),
    ALIPAY_GATEWAY_URL: `${sandbox.url}/gateway.do`,
    WECHAT_PLATFORM_PUBLIC_KEY_FILE: file('wechat-platform-public.pem'),
    WECHAT_APIV3_KEY_FILE: file('wechat-apiv3.key'),
    WECHAT_PLATFORM_SERIAL: WECHAT.serial,
    WECHAT_MCH_PRIVATE_KEY_FILE: file('wechat-merchant-private.pem'),
    WECHAT_MCH_SERIAL: 'E2E000000000000000000MERCHANT',
    WECHAT_MCH_ID: WECHAT.mchId,
    WECHAT_APP_ID: WECHAT.appId,
    WECHAT_API_URL: sandbox.url,
    ...overrides,
  });
  let clients: PaymentProviderPort;

  beforeAll(async () => {
    await sandbox.start();
    // Production settings: every channel must have its real client, so none of this goes to the sandbox API.
    clients = ProviderRouter.fromConfig(loadPaymentsConfig(envFor()));
  });

  afterAll(async () => {
    await sandbox.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  const newPayment = (provider: ProviderKind) => {
    const orderId = randomUUID();
    return {
      provider,
      orderId,
      outTradeNo: outTradeNoOf(orderId),
      amount: { amountMinor: 1234, currency: 'CNY' },
      notifyUrl: `http://127.0.0.1:9/v1/callbacks/${provider}`,
      expiresAt: new Date(Date.now() + 40 * 60_000).toISOString(),
    };
  };
  const payAtCashier = async (cashierUrl: string) => {
    const paymentId = new URL(cashierUrl).pathname.split('/').pop();
    const response = await fetch(`${sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' });
    expect(response.status).toBe(200);
    return ((await response.json()) as { transactionId: string }).transactionId;
  };

  it.each<[ProviderKind, string]>([
    ['stripe', 'pending'],
    ['alipay', 'not-found'],
    ['wechat', 'pending'],
  ])(
    '%s: create (idempotent), query before and after paying, refund once per key',
    async (provider, before) => {
      const request = newPayment(provider);
      const created = await clients.create(request);
      expect(new URL(created.cashierUrl).origin).toBe(sandbox.url);
      // A retried create (lost answer) names the same payment.
      expect(await clients.create(request)).toEqual(created);
      expect(await clients.query(provider, request.outTradeNo)).toEqual({ status: before });

      const transactionId = await payAtCashier(created.cashierUrl);
      expect(await clients.query(provider, request.outTradeNo)).toMatchObject({
        status: 'paid',
        providerTradeNo: transactionId,
        amount: { amountMinor: 1234, currency: 'CNY' },
      });

      const refund = { provider, outTradeNo: request.outTradeNo, amount: request.amount, reason: 'e2e' };
      const first = await clients.refund({ ...refund, idempotencyKey: `refund-${request.orderId}` });
      expect(first.providerRefundId).toBeTruthy();
      // Again with the same key (a retry after a lost answer): the same refund, not a second one.
      expect(await clients.refund({ ...refund, idempotencyKey: `refund-${request.orderId}` })).toEqual(first);
    },
  );

  it.each<[ProviderKind, Record<string, string>]>([
    ['stripe', { STRIPE_SECRET_KEY: `sk_test_${'0'.repeat(40)}`, STRIPE_SECRET_KEY_FILE: '' }],
    ['alipay', { ALIPAY_APP_PRIVATE_KEY: stranger.privateKey, ALIPAY_APP_PRIVATE_KEY_FILE: '' }],
    ['wechat', { WECHAT_MCH_PRIVATE_KEY: stranger.privateKey, WECHAT_MCH_PRIVATE_KEY_FILE: '' }],
  ])('%s: a request signed with a key the provider does not hold is refused', async (provider, env) => {
    const impostor = ProviderRouter.fromConfig(loadPaymentsConfig(envFor(env)));
    await expect(impostor.create(newPayment(provider))).rejects.toMatchObject({ code: 'PROVIDER.REFUSED' });
  });

  it.each<[ProviderKind, Record<string, string>]>([
    ['alipay', { ALIPAY_PUBLIC_KEY: stranger.publicKey, ALIPAY_PUBLIC_KEY_FILE: '' }],
    ['wechat', { WECHAT_PLATFORM_PUBLIC_KEY: stranger.publicKey, WECHAT_PLATFORM_PUBLIC_KEY_FILE: '' }],
  ])(
    '%s: an answer whose signature does not verify with the provider’s key is not believed',
    async (provider, env) => {
      const gullible = ProviderRouter.fromConfig(loadPaymentsConfig(envFor(env)));
      await expect(gullible.create(newPayment(provider))).rejects.toMatchObject({
        code: 'PROVIDER.UNAVAILABLE',
      });
    },
  );
});
