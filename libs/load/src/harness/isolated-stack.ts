import path from 'node:path';

import { Client } from 'pg';

import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';

import { Stack } from '../stack/stack';
import { LOAD_GENERATOR_LIMITS, type ProcessName, REPO_ROOT } from '../stack/stack-definition';

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
        ...LOAD_GENERATOR_LIMITS,
        OPERATOR_API_KEYS: formatApiKeyRecord(operator.record),
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...options.env,
      },
      overrides: options.overrides,
    },
    { onUnexpectedExit: options.onUnexpectedExit },
  );
  await stack.start();
  return { stack, operatorKey: operator.key };
}
