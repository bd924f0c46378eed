import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';

import { Client } from 'pg';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';

import { Stack } from '../stack/stack';
import { LOAD_GENERATOR_LIMITS, type ProcessName, REPO_ROOT } from '../stack/stack-definition';

/**
 * Secrets for a throw-away stack when the environment brings none (e.g. inside the test suite): master and
 * fingerprint keys, the delivery key-encryption key, both sealing key pairs, the pay-link pair and the
 * order-token secret, made fresh for this run.
 */
export function ephemeralSecrets(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  // Each set on its own: an environment from an older scripts/dev-secrets.js lacks the newer keys.
  const payLink = env.PAY_LINK_SIGNING_KEY_FILE || env.PAY_LINK_SIGNING_KEY ? {} : ephemeralPayLinkKeys();
  const orderToken: Record<string, string> =
    env.ORDER_TOKEN_SECRET_FILE || env.ORDER_TOKEN_SECRET
      ? {}
      : { ORDER_TOKEN_SECRET: randomBytes(32).toString('base64url') };
  if (env.INVENTORY_MASTER_KEYS_FILE || env.INVENTORY_MASTER_KEYS) return { ...payLink, ...orderToken };
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const delivery = pair();
  const notification = pair();
  return {
    INVENTORY_MASTER_KEYS: `run1:${randomBytes(32).toString('base64')}`,
    INVENTORY_FINGERPRINT_KEY: randomBytes(32).toString('base64'),
    DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DELIVERY_SEALING_PUBLIC_KEY: delivery.publicKey,
    DELIVERY_SEALING_PRIVATE_KEY: delivery.privateKey,
    NOTIFICATION_SEALING_PUBLIC_KEY: notification.publicKey,
    NOTIFICATION_SEALING_PRIVATE_KEY: notification.privateKey,
    ...payLink,
    ...orderToken,
  };
}

/** The pay-link pair: orders signs pay URLs with the private half, payment-callback checks them. */
export function ephemeralPayLinkKeys(): { PAY_LINK_SIGNING_KEY: string; PAY_LINK_PUBLIC_KEY: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { PAY_LINK_SIGNING_KEY: privateKey, PAY_LINK_PUBLIC_KEY: publicKey };
}

/** Every service's own schema: dropped before a run so each starts from empty tables. */
export const SERVICE_SCHEMAS = ['orders', 'payments', 'inventory', 'risk', 'delivery', 'notification'];

export interface IsolatedStackOptions {
  /** bench, chaos…: names the state and log folders under .local/. */
  name: string;
  basePort: number;
  databaseUrl: string;
  kafkaBrokers: string;
  env?: Record<string, string>;
  overrides?: Partial<Record<ProcessName, Record<string, string>>>;
  /** Options for node itself per process (e.g. `--cpu-prof`). */
  nodeArgs?: Partial<Record<ProcessName, string[]>>;
  onUnexpectedExit?: (name: ProcessName, code: number | null, signal: NodeJS.Signals | null) => void;
}

/**
 * A whole pipeline of its own for a benchmark or chaos run: its own ports, database schemas emptied first,
 * a fresh operator key, the per-address limits lifted for the load generator. The dev secrets come from the
 * environment (the calling script exports them, as `npm start` does).
 */
export async function startIsolatedStack(
  options: IsolatedStackOptions,
): Promise<{ stack: Stack; operatorKey: string }> {
  const admin = new Client({ connectionString: options.databaseUrl });
  await admin.connect();
  try {
    await admin.query(SERVICE_SCHEMAS.map((schema) => `DROP SCHEMA IF EXISTS ${schema} CASCADE;`).join(' '));
  } finally {
    await admin.end();
  }
  const operator = generateApiKey(`${options.name}-operator`, ['admin']);
  const stateDir = path.join(REPO_ROOT, '.local', options.name);
  const stack = new Stack(
    {
      basePort: options.basePort,
      databaseUrl: options.databaseUrl,
      kafkaBrokers: options.kafkaBrokers,
      stateDir,
      logDir: path.join(stateDir, 'logs'),
      env: {
        ...ephemeralSecrets(),
        ...LOAD_GENERATOR_LIMITS,
        OPERATOR_API_KEYS: formatApiKeyRecord(operator.record),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...options.env,
      },
      overrides: options.overrides,
      nodeArgs: options.nodeArgs,
    },
    { onUnexpectedExit: options.onUnexpectedExit },
  );
  try {
    // STACK_READY_TIMEOUT_SECONDS: on a box shared with other work, six services booting at once can take
    // longer than the default two minutes to answer /health/ready.
    await stack.start(Number(process.env.STACK_READY_TIMEOUT_SECONDS ?? 120) * 1000);
  } catch (error) {
    await stack.stop(); // what did start must not outlive the failure (and hold the ports)
    throw error;
  }
  return { stack, operatorKey: operator.key };
}
