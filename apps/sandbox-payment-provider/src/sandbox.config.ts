import path from 'node:path';

export interface SandboxConfig {
  port: number;
  host: string;
  /** Base of the cashier URLs handed to merchants. */
  publicUrl: string;
  keysDir: string;
  /** Delays before each callback attempt, e.g. 0,2000,5000,15000 (compressed in tests). */
  callbackScheduleMs: number[];
  alipay: { appId: string; sellerId: string };
  wechat: { mchId: string; appId: string; serial: string };
  /**
   * Where Stripe-wire events go (Stripe sends to the endpoint set in its dashboard, not per payment);
   * SANDBOX_STRIPE_WEBHOOK_URL, e.g. http://127.0.0.1:3002/v1/callbacks/stripe. Unset: the Stripe wire
   * API refuses to create payments, since nobody would hear about them.
   */
  stripeWebhookUrl?: string;
}

export const SANDBOX_CONFIG = Symbol('SANDBOX_CONFIG');

export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const port = Number(env.PORT ?? 3090);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const schedule = (env.SANDBOX_CALLBACK_SCHEDULE_MS ?? '0,2000,5000,15000,60000,300000')
    .split(',')
    .map(Number);
  if (schedule.length === 0 || schedule.some((ms) => !Number.isInteger(ms) || ms < 0)) {
    throw new Error('SANDBOX_CALLBACK_SCHEDULE_MS must be comma-separated milliseconds, e.g. 0,2000,5000');
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    publicUrl: (env.SANDBOX_PUBLIC_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    keysDir: path.resolve(env.SANDBOX_KEYS_DIR ?? '.local/sandbox-keys'),
    callbackScheduleMs: schedule,
    alipay: {
      appId: env.SANDBOX_ALIPAY_APP_ID ?? '2021000000000000',
      sellerId: env.SANDBOX_ALIPAY_SELLER_ID ?? '2088000000000000',
    },
    wechat: {
      mchId: env.SANDBOX_WECHAT_MCH_ID ?? '1900000000',
      appId: env.SANDBOX_WECHAT_APP_ID ?? 'wx0000000000sandbox',
      serial: env.SANDBOX_WECHAT_SERIAL ?? '5157F09EFDC096DE15EBE81A47057A72',
    },
    ...(env.SANDBOX_STRIPE_WEBHOOK_URL ? { stripeWebhookUrl: env.SANDBOX_STRIPE_WEBHOOK_URL } : {}),
  };
}
