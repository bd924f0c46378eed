import { createPrivateKey, type KeyObject } from 'node:crypto';

import { asPublicKey } from '@keyflow/sealed-box';
import { ConfigError, positiveInt, Secret, valueOrFile } from '@keyflow/service-kit';

import { type AttemptPolicy } from '../domain/attempt-policy';
import { parseSuppliersConfig, type SupplierConfig } from './suppliers-config';

export interface DeliverySettings {
  /** Opens pool keys that inventory sealed for delivery. */
  sealingPrivateKey: KeyObject;
  /** Seals delivered keys for notification (DeliverySucceeded.keys). */
  notificationPublicKey: KeyObject;
  /** AES-256-GCM key for delivered keys at rest, and its id (stored with every ciphertext). */
  keyEncryption: { id: string; key: Secret };
  suppliers: SupplierConfig[];
  attempts: AttemptPolicy;
  /** The safety-net poll: queued jobs wake the workers by NOTIFY, retries by their due time. */
  workerIntervalMs: number;
  /** Jobs one worker runs at the same time. */
  workerConcurrency: number;
  /** A claimed job's lease, renewed while its worker runs; past it (the worker died) the job is claimed again. */
  jobLeaseMs: number;
  /** Resend clicks for one order within this window are one resend. */
  resendWindowMs: number;
  /** How long a purchase with an unknown outcome may hold an order back before a backup may sell. */
  unknownOutcomeGiveUpMs: number;
}

export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

/** Reads and checks delivery's settings once at start; a bad one stops the service with its name. */
export function loadDeliverySettings(env: NodeJS.ProcessEnv = process.env): DeliverySettings {
  try {
    return {
      sealingPrivateKey: privateKey(env),
      notificationPublicKey: publicKey(env),
      keyEncryption: encryptionKey(env),
      suppliers: parseSuppliersConfig(valueOrFile(env, 'DELIVERY_SUPPLIERS') ?? '[]'),
      attempts: {
        maxAttempts: positiveInt(env, 'DELIVERY_MAX_ATTEMPTS', 5),
        baseDelayMs: positiveInt(env, 'DELIVERY_RETRY_BASE_MS', 5000),
        maxDelayMs: positiveInt(env, 'DELIVERY_RETRY_MAX_MS', 300000),
      },
      workerIntervalMs: positiveInt(env, 'DELIVERY_WORKER_INTERVAL_MS', 30000),
      workerConcurrency: positiveInt(env, 'DELIVERY_WORKER_CONCURRENCY', 8),
      jobLeaseMs: positiveInt(env, 'DELIVERY_JOB_LEASE_MS', 30000),
      resendWindowMs: positiveInt(env, 'DELIVERY_RESEND_WINDOW_MS', 60000),
      unknownOutcomeGiveUpMs: positiveInt(env, 'DELIVERY_UNKNOWN_OUTCOME_GIVE_UP_MS', 60000),
    };
  } catch (error) {
    throw new ConfigError(`delivery: invalid configuration: ${(error as Error).message}`);
  }
}

function privateKey(env: NodeJS.ProcessEnv): KeyObject {
  const pem = valueOrFile(env, 'DELIVERY_SEALING_PRIVATE_KEY');
  if (!pem)
    throw new Error('DELIVERY_SEALING_PRIVATE_KEY (or _FILE) is required: delivery’s RSA private key');
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error('DELIVERY_SEALING_PRIVATE_KEY: not a PEM private key');
  }
}

function publicKey(env: NodeJS.ProcessEnv): KeyObject {
  const pem = valueOrFile(env, 'NOTIFICATION_SEALING_PUBLIC_KEY');
  if (!pem)
    throw new Error('NOTIFICATION_SEALING_PUBLIC_KEY (or _FILE) is required: notification’s RSA public key');
  try {
    return asPublicKey(pem);
  } catch (error) {
    throw new Error(`NOTIFICATION_SEALING_PUBLIC_KEY: ${(error as Error).message}`);
  }
}

function encryptionKey(env: NodeJS.ProcessEnv): { id: string; key: Secret } {
  const raw = valueOrFile(env, 'DELIVERY_KEY_ENCRYPTION_KEY')?.trim();
  if (!raw) throw new Error('DELIVERY_KEY_ENCRYPTION_KEY (or _FILE) is required: base64(32 bytes)');
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('DELIVERY_KEY_ENCRYPTION_KEY must be 32 bytes of base64');
  const id = env.DELIVERY_KEY_ENCRYPTION_KEY_ID ?? 'k1';
  if (!/^[A-Za-z0-9._-]{1,32}$/.test(id))
    throw new Error('DELIVERY_KEY_ENCRYPTION_KEY_ID: 1-32 letters, digits, . _ -');
  return { id, key: new Secret(key) };
}
