import { type KeyObject } from 'node:crypto';

import { asPrivateKey } from '@keyflow/sealed-box';
import { ConfigError, positiveInt, Secret, valueOrFile } from '@keyflow/service-kit';

import { type BuyerChannel, OPERATOR_KINDS, type OperatorKind, parseBuyerChannels } from '../domain/channels';
import { type RetrySettings } from '../domain/fallback-policy';
import { checkWebhookUrl, type WebhookUrlPolicy } from '../domain/webhook-url';

export const NOTIFICATION_SETTINGS = Symbol('NOTIFICATION_SETTINGS');

export interface OperatorWebhook {
  kind: OperatorKind;
  url: URL;
  chatId?: string;
  /** Stable name in the recipient column (`operator:<kind>:<n>`): the position in OPERATOR_WEBHOOKS. */
  recipient: `operator:${string}`;
}

export interface NotificationSettings {
  /** Opens the keys delivery sealed for us; plaintext exists only while an email is being built. */
  sealingPrivateKey: KeyObject;
  smtp?: { url: string; from: string };
  merchantWebhook?: { url: URL; secret: Secret };
  operatorWebhooks: OperatorWebhook[];
  buyerChannels: BuyerChannel[];
  lateAfterSeconds: number;
  retry: RetrySettings;
  /** The safety-net poll: sends are woken by a NOTIFY when they fall due, retries by their due time. */
  workerPollMs: number;
  /** Most jobs one tick claims (and sends concurrently). */
  workerBatch: number;
  /** A claimed send not finished after this long is in doubt and may be retried (same Message-ID). */
  sendLeaseSeconds: number;
  sendTimeoutMs: number;
  urlPolicy: WebhookUrlPolicy;
  timeZone: string;
  shopName: string;
  redeemInstructions: string;
}

/** Reads and checks everything once at start; a bad variable stops the service (exit 78) with its name. */
export function loadNotificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  try {
    const urlPolicy: WebhookUrlPolicy = {
      production: env.NODE_ENV === 'production',
      allowPrivate: flag(env, 'NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS'),
    };
    const buyerChannels = channels(env);
    const smtp = smtpSettings(env);
    const merchantWebhook = merchantSettings(env, urlPolicy);
    if (buyerChannels.includes('email') && !smtp)
      throw new Error('SMTP_URL and SMTP_FROM are required while NOTIFICATION_BUYER_CHANNELS includes email');
    if (buyerChannels.includes('webhook') && !merchantWebhook)
      throw new Error('MERCHANT_WEBHOOK_URL is required while NOTIFICATION_BUYER_CHANNELS includes webhook');
    const sendLeaseSeconds = positiveInt(env, 'NOTIFICATION_SEND_LEASE_SECONDS', 120);
    const sendTimeoutMs = positiveInt(env, 'NOTIFICATION_SEND_TIMEOUT_MS', 20000);
    if (sendTimeoutMs * 2 > sendLeaseSeconds * 1000)
      throw new Error('NOTIFICATION_SEND_LEASE_SECONDS must be at least twice NOTIFICATION_SEND_TIMEOUT_MS');
    return {
      sealingPrivateKey: privateKey(env),
      ...(smtp ? { smtp } : {}),
      ...(merchantWebhook ? { merchantWebhook } : {}),
      operatorWebhooks: operatorWebhooks(env, urlPolicy),
      buyerChannels,
      lateAfterSeconds: positiveInt(env, 'NOTIFICATION_LATE_AFTER_SECONDS', 300),
      retry: {
        maxAttemptsPerChannel: positiveInt(env, 'NOTIFICATION_MAX_ATTEMPTS_PER_CHANNEL', 4),
        backoffBaseMs: positiveInt(env, 'NOTIFICATION_RETRY_BASE_MS', 5000),
        backoffMaxMs: positiveInt(env, 'NOTIFICATION_RETRY_MAX_MS', 300000),
      },
      workerPollMs: positiveInt(env, 'NOTIFICATION_WORKER_POLL_MS', 30000),
      workerBatch: positiveInt(env, 'NOTIFICATION_WORKER_BATCH', 20),
      sendLeaseSeconds,
      sendTimeoutMs,
      urlPolicy,
      timeZone: timeZone(env),
      shopName: env.NOTIFICATION_SHOP_NAME?.trim() || 'Keyflow shop',
      redeemInstructions:
        env.NOTIFICATION_REDEEM_INSTRUCTIONS?.trim() ||
        'open the platform the product is for (e.g. Steam: Games → Activate a Product), choose "redeem a code" and paste the key.',
    };
  } catch (error) {
    throw new ConfigError(`notification: invalid configuration: ${(error as Error).message}`);
  }
}

function privateKey(env: NodeJS.ProcessEnv): KeyObject {
  const pem = valueOrFile(env, 'NOTIFICATION_SEALING_PRIVATE_KEY');
  if (!pem)
    throw new Error(
      'NOTIFICATION_SEALING_PRIVATE_KEY (or _FILE) is required: the RSA private key keys are sealed for',
    );
  try {
    return asPrivateKey(pem);
  } catch (error) {
    throw new Error(`NOTIFICATION_SEALING_PRIVATE_KEY: ${(error as Error).message}`);
  }
}

function channels(env: NodeJS.ProcessEnv): BuyerChannel[] {
  try {
    return parseBuyerChannels(env.NOTIFICATION_BUYER_CHANNELS || 'email');
  } catch (error) {
    throw new Error(`NOTIFICATION_BUYER_CHANNELS: ${(error as Error).message}`);
  }
}

function smtpSettings(env: NodeJS.ProcessEnv): NotificationSettings['smtp'] {
  const url = valueOrFile(env, 'SMTP_URL')?.trim();
  const from = env.SMTP_FROM?.trim();
  if (!url && !from) return undefined;
  if (!url || !from) throw new Error('set both SMTP_URL and SMTP_FROM');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('SMTP_URL is not a URL (expected smtp://host:587 or smtps://user:pass@host:465)');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must be smtp:// or smtps://, got ${parsed.protocol}//`);
  if (!/^[^@\s<>]+@[^@\s<>]+$/.test(from.replace(/^.*<(.+)>$/, '$1')))
    throw new Error('SMTP_FROM must be an address, e.g. "Shop <shop@example.com>"');
  return { url, from };
}

function merchantSettings(
  env: NodeJS.ProcessEnv,
  policy: WebhookUrlPolicy,
): NotificationSettings['merchantWebhook'] {
  const raw = env.MERCHANT_WEBHOOK_URL?.trim();
  if (!raw) return undefined;
  const url = checkWebhookUrl(raw, 'MERCHANT_WEBHOOK_URL', policy);
  const secret = valueOrFile(env, 'MERCHANT_WEBHOOK_SECRET')?.trim();
  if (!secret || secret.length < 16)
    throw new Error(
      'MERCHANT_WEBHOOK_SECRET (or _FILE) of at least 16 characters is required with MERCHANT_WEBHOOK_URL',
    );
  return { url, secret: new Secret(Buffer.from(secret, 'utf8')) };
}

function operatorWebhooks(env: NodeJS.ProcessEnv, policy: WebhookUrlPolicy): OperatorWebhook[] {
  const raw = valueOrFile(env, 'OPERATOR_WEBHOOKS')?.trim();
  if (!raw) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    throw new Error('OPERATOR_WEBHOOKS must be a JSON list of {kind, url, chatId?}');
  }
  if (!Array.isArray(list)) throw new Error('OPERATOR_WEBHOOKS must be a JSON list of {kind, url, chatId?}');
  return list.map((entry: unknown, i): OperatorWebhook => {
    const name = `OPERATOR_WEBHOOKS[${i}]`;
    const { kind, url, chatId } = (entry ?? {}) as Record<string, unknown>;
    if (!(OPERATOR_KINDS as readonly unknown[]).includes(kind))
      throw new Error(`${name}.kind must be one of ${OPERATOR_KINDS.join(', ')}`);
    if (typeof url !== 'string') throw new Error(`${name}.url is required`);
    if (kind === 'telegram' && (typeof chatId !== 'string' || chatId === ''))
      throw new Error(`${name}.chatId is required for telegram`);
    return {
      kind: kind as OperatorKind,
      url: checkWebhookUrl(url, `${name}.url`, policy),
      ...(typeof chatId === 'string' ? { chatId } : {}),
      recipient: `operator:${kind as string}:${i}`,
    };
  });
}

function timeZone(env: NodeJS.ProcessEnv): string {
  const zone = env.NOTIFICATION_TIMEZONE?.trim() || 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new Error(`NOTIFICATION_TIMEZONE: unknown time zone "${zone}"`);
  }
  return zone;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}
