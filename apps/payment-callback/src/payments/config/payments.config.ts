import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

import { payLinkPublicKey } from '@keyflow/contracts';
import { ConfigError, positiveInt, requiredUrl, Secret, valueOrFile } from '@keyflow/service-kit';

import { type AlipayVerificationKeys } from '../domain/signatures/alipay-notification';

export interface WechatConfig {
  platformPublicKey: KeyObject;
  apiV3Key: Secret;
  platformSerial?: string;
  /** WECHAT_MCH_ID / WECHAT_APP_ID: when set, a notification for another merchant or app is refused. */
  mchId?: string;
  appId?: string;
  /** The API client's settings; absent, the channel speaks the sandbox's own API (never in production). */
  api?: WechatApiConfig;
}

export interface WechatApiConfig {
  mchId: string;
  appId: string;
  /** WECHAT_MCH_PRIVATE_KEY(_FILE): the merchant API private key (apiclient_key.pem); requests are signed with it. */
  merchantPrivateKey: KeyObject;
  /** WECHAT_MCH_SERIAL: the serial number of the merchant API certificate. */
  merchantSerial: string;
  /** The platform certificate serial or WeChat Pay public key id (PUB_KEY_ID_…) answers are signed under. */
  platformSerial: string;
  /** WECHAT_API_URL: https://api.mch.weixin.qq.com unless set (the sandbox in tests). */
  apiUrl: string;
}

export interface AlipayConfig extends AlipayVerificationKeys {
  /** The API client's settings; absent, the channel speaks the sandbox's own API (never in production). */
  api?: AlipayApiConfig;
}

export interface AlipayApiConfig {
  /** ALIPAY_APP_PRIVATE_KEY(_FILE): the app's RSA private key (PEM; requests are signed with it). */
  appPrivateKey: Secret;
  /** ALIPAY_GATEWAY_URL: https://openapi.alipay.com/gateway.do (live), the sandbox's /gateway.do in tests. */
  gatewayUrl: string;
}

export interface StripeConfig {
  webhookSecret: Secret;
  /** The API client's settings; absent, the channel speaks the sandbox's own API (never in production). */
  api?: StripeApiConfig;
}

export interface StripeApiConfig {
  /** STRIPE_SECRET_KEY(_FILE): sk_live_… / sk_test_… (or a restricted rk_… key). */
  secretKey: Secret;
  /** STRIPE_API_URL: where the SDK sends requests; unset is Stripe itself (api.stripe.com). */
  apiUrl?: URL;
  /** STRIPE_SUCCESS_URL: where Checkout sends the buyer after paying (default PAYMENT_PUBLIC_URL). */
  successUrl: string;
}

export interface PaymentsConfig {
  /** Where buyers and providers reach this service: pay URLs and notify URLs are built from it. */
  publicUrl: string;
  /**
   * Where providers send callbacks (notify URLs); PAYMENT_NOTIFY_URL, by default PAYMENT_PUBLIC_URL. Differs
   * when the provider reaches this service by another name than buyers do (the sandbox in docker compose).
   */
  notifyUrl: string;
  /**
   * The sandbox provider's own JSON API, for channels without API credentials of their own (the demo);
   * PAYMENT_PROVIDER_URL, refused in production.
   */
  providerUrl?: string;
  providerTimeoutMs: number;
  activeQueryAfterSeconds: number;
  activeQueryBackoffSeconds: number;
  activeQueryMaxBackoffSeconds: number;
  workerPollMs: number;
  rateLimitPerMinute: number;
  callbackRateLimitPerMinute: number;
  /** orders' Ed25519 public key: checks the pay links checkout hands out (it cannot sign them). */
  payLinkPublicKey: KeyObject;
  /** A provider is enabled when its settings are present; half a provider's settings is an error. */
  alipay?: AlipayConfig;
  wechat?: WechatConfig;
  stripe?: StripeConfig;
}

export const PAYMENTS_CONFIG = Symbol('PAYMENTS_CONFIG');

/** Reads and checks the payment settings once at start; a bad one stops the service with its name. */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  try {
    const config: PaymentsConfig = {
      publicUrl: requiredUrl(env, 'PAYMENT_PUBLIC_URL'),
      notifyUrl: env.PAYMENT_NOTIFY_URL?.trim()
        ? requiredUrl(env, 'PAYMENT_NOTIFY_URL')
        : requiredUrl(env, 'PAYMENT_PUBLIC_URL'),
      ...(env.PAYMENT_PROVIDER_URL?.trim() ? { providerUrl: requiredUrl(env, 'PAYMENT_PROVIDER_URL') } : {}),
      providerTimeoutMs: positiveInt(env, 'PAYMENT_PROVIDER_TIMEOUT_MS', 5000),
      activeQueryAfterSeconds: positiveInt(env, 'PAYMENT_ACTIVE_QUERY_AFTER_SECONDS', 120),
      activeQueryBackoffSeconds: positiveInt(env, 'PAYMENT_ACTIVE_QUERY_BACKOFF_SECONDS', 15),
      activeQueryMaxBackoffSeconds: positiveInt(env, 'PAYMENT_ACTIVE_QUERY_MAX_BACKOFF_SECONDS', 300),
      workerPollMs: positiveInt(env, 'PAYMENT_WORKER_POLL_MS', 30000),
      rateLimitPerMinute: positiveInt(env, 'PAYMENT_RATE_LIMIT_PER_MINUTE', 300),
      callbackRateLimitPerMinute: positiveInt(env, 'PAYMENT_CALLBACK_RATE_LIMIT_PER_MINUTE', 3000),
      payLinkPublicKey: payLinkPublicKeyFromEnv(env),
    };
    const alipay = alipayConfig(env);
    const wechat = wechatConfig(env);
    const stripe = stripeConfig(env, config.publicUrl);
    if (!alipay && !wechat && !stripe) {
      throw new Error('no payment provider configured: set the ALIPAY_*, WECHAT_* and/or STRIPE_* variables');
    }
    const viaSandbox = [
      ...(stripe && !stripe.api ? ['stripe (STRIPE_SECRET_KEY)'] : []),
      ...(alipay && !alipay.api ? ['alipay (ALIPAY_APP_PRIVATE_KEY)'] : []),
      ...(wechat && !wechat.api ? ['wechat (WECHAT_MCH_PRIVATE_KEY)'] : []),
    ];
    if (viaSandbox.length > 0 && env.NODE_ENV === 'production') {
      throw new Error(
        `production needs each configured provider's API keys; missing: ${viaSandbox.join(', ')}`,
      );
    }
    if (viaSandbox.length > 0 && !config.providerUrl) {
      throw new Error(`PAYMENT_PROVIDER_URL (the sandbox) is required for ${viaSandbox.join(', ')}`);
    }
    return {
      ...config,
      ...(alipay ? { alipay } : {}),
      ...(wechat ? { wechat } : {}),
      ...(stripe ? { stripe } : {}),
    };
  } catch (error) {
    throw new ConfigError(`payment-callback: invalid configuration: ${(error as Error).message}`);
  }
}

function alipayConfig(env: NodeJS.ProcessEnv): AlipayConfig | undefined {
  const values = {
    key: valueOrFile(env, 'ALIPAY_PUBLIC_KEY'),
    appId: env.ALIPAY_APP_ID,
    sellerId: env.ALIPAY_SELLER_ID,
  };
  const appPrivateKey = valueOrFile(env, 'ALIPAY_APP_PRIVATE_KEY')?.trim();
  if (!allOrNone('ALIPAY_PUBLIC_KEY(_FILE), ALIPAY_APP_ID, ALIPAY_SELLER_ID', Object.values(values))) {
    if (appPrivateKey)
      throw new Error(
        'ALIPAY_APP_PRIVATE_KEY is set without ALIPAY_PUBLIC_KEY, ALIPAY_APP_ID, ALIPAY_SELLER_ID',
      );
    return undefined;
  }
  const currency = (env.ALIPAY_CURRENCY?.trim() || 'CNY').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error('ALIPAY_CURRENCY must be an ISO 4217 code such as CNY');
  const keys: AlipayVerificationKeys = {
    publicKey: publicKey('ALIPAY_PUBLIC_KEY', values.key!),
    appId: values.appId!,
    sellerId: values.sellerId!,
    currency,
  };
  if (!appPrivateKey) return keys;
  return {
    ...keys,
    api: {
      appPrivateKey: new Secret(Buffer.from(pkcs8Pem('ALIPAY_APP_PRIVATE_KEY', appPrivateKey), 'utf8')),
      gatewayUrl: env.ALIPAY_GATEWAY_URL?.trim()
        ? requiredUrl(env, 'ALIPAY_GATEWAY_URL')
        : 'https://openapi.alipay.com/gateway.do',
    },
  };
}

function wechatConfig(env: NodeJS.ProcessEnv): WechatConfig | undefined {
  const key = valueOrFile(env, 'WECHAT_PLATFORM_PUBLIC_KEY');
  const apiV3 = valueOrFile(env, 'WECHAT_APIV3_KEY')?.trim();
  if (!allOrNone('WECHAT_PLATFORM_PUBLIC_KEY(_FILE), WECHAT_APIV3_KEY(_FILE)', [key, apiV3]))
    return undefined;
  const apiV3Key = Buffer.from(apiV3!, 'utf8');
  if (apiV3Key.length !== 32) throw new Error(`WECHAT_APIV3_KEY must be 32 bytes, got ${apiV3Key.length}`);
  const config: WechatConfig = {
    platformPublicKey: publicKey('WECHAT_PLATFORM_PUBLIC_KEY', key!),
    apiV3Key: new Secret(apiV3Key),
    ...(env.WECHAT_PLATFORM_SERIAL ? { platformSerial: env.WECHAT_PLATFORM_SERIAL } : {}),
    ...(env.WECHAT_MCH_ID?.trim() ? { mchId: env.WECHAT_MCH_ID.trim() } : {}),
    ...(env.WECHAT_APP_ID?.trim() ? { appId: env.WECHAT_APP_ID.trim() } : {}),
  };
  const privateKeyPem = valueOrFile(env, 'WECHAT_MCH_PRIVATE_KEY')?.trim();
  if (!privateKeyPem) return config;
  const required = (name: string, value: string | undefined) => {
    if (!value?.trim()) throw new Error(`${name} is required with WECHAT_MCH_PRIVATE_KEY`);
    return value.trim();
  };
  return {
    ...config,
    api: {
      mchId: required('WECHAT_MCH_ID', config.mchId),
      appId: required('WECHAT_APP_ID', config.appId),
      merchantPrivateKey: createPrivateKey(pkcs8Pem('WECHAT_MCH_PRIVATE_KEY', privateKeyPem)),
      merchantSerial: required('WECHAT_MCH_SERIAL', env.WECHAT_MCH_SERIAL),
      platformSerial: required('WECHAT_PLATFORM_SERIAL', config.platformSerial),
      apiUrl: env.WECHAT_API_URL?.trim()
        ? requiredUrl(env, 'WECHAT_API_URL')
        : 'https://api.mch.weixin.qq.com',
    },
  };
}

function stripeConfig(env: NodeJS.ProcessEnv, publicUrl: string): StripeConfig | undefined {
  const secret = valueOrFile(env, 'STRIPE_WEBHOOK_SECRET')?.trim();
  const apiKey = valueOrFile(env, 'STRIPE_SECRET_KEY')?.trim();
  if (!secret) {
    if (apiKey) throw new Error('STRIPE_SECRET_KEY is set without STRIPE_WEBHOOK_SECRET');
    return undefined;
  }
  if (secret.length < 16) throw new Error('STRIPE_WEBHOOK_SECRET is too short to be a webhook secret');
  const webhookSecret = new Secret(Buffer.from(secret, 'utf8'));
  if (!apiKey) return { webhookSecret };
  if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]{16,}$/.test(apiKey)) {
    throw new Error('STRIPE_SECRET_KEY must be a Stripe secret key (sk_live_…, sk_test_… or rk_…)');
  }
  return {
    webhookSecret,
    api: {
      secretKey: new Secret(Buffer.from(apiKey, 'utf8')),
      ...(env.STRIPE_API_URL?.trim() ? { apiUrl: new URL(requiredUrl(env, 'STRIPE_API_URL')) } : {}),
      successUrl: env.STRIPE_SUCCESS_URL?.trim() ? requiredUrl(env, 'STRIPE_SUCCESS_URL') : publicUrl,
    },
  };
}

/** PAY_LINK_PUBLIC_KEY(_FILE), required everywhere: there is no default key (see scripts/dev-secrets.js). */
function payLinkPublicKeyFromEnv(env: NodeJS.ProcessEnv): KeyObject {
  const pem = valueOrFile(env, 'PAY_LINK_PUBLIC_KEY');
  if (!pem?.trim()) {
    throw new Error(
      "PAY_LINK_PUBLIC_KEY (or _FILE) is required: orders' Ed25519 public key (SPKI PEM) that pay links are checked with",
    );
  }
  return payLinkPublicKey(pem);
}

function allOrNone(names: string, values: Array<string | undefined>): boolean {
  const present = values.filter(Boolean).length;
  if (present !== 0 && present !== values.length) throw new Error(`set all of ${names}, or none`);
  return present === values.length;
}

/** An RSA private key in PKCS#8 PEM, whatever PEM form it came in (Alipay's tools write PKCS#1 too). */
function pkcs8Pem(name: string, pem: string): string {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key.export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw new Error(`${name} is not an RSA private key in PEM form`);
  }
}

function publicKey(name: string, pem: string): KeyObject {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  } catch {
    throw new Error(`${name} is not an RSA public key in PEM form`);
  }
}
