import { kafkaSettingsFromEnv, type KafkaSettings } from '@keyflow/messaging';

import { type BodyLimits, bodyLimitsFromEnv } from '../http/body-limits';

export interface ServiceIdentity {
  /** Service name: Kafka client id, consumer-group prefix, event `source`, OTel service.name. */
  service: string;
  /** The service's own Postgres schema. */
  schema: string;
  /** HTTP port when PORT is not set. */
  defaultPort: number;
}

export interface ServiceConfig extends ServiceIdentity {
  httpPort: number;
  httpHost: string;
  databaseUrl: string;
  databasePoolSize: number;
  kafka: KafkaSettings;
  /** Request bodies are bounded in size and depth before parsing (HTTP_BODY_LIMIT_BYTES, HTTP_BODY_MAX_DEPTH). */
  bodyLimits?: BodyLimits;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/keyflow';

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Reads and checks the environment once at start; a bad variable stops the service with its name. */
export function loadServiceConfig(
  identity: ServiceIdentity,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  try {
    return {
      ...identity,
      httpPort: port(env.PORT, identity.defaultPort),
      httpHost: env.HOST ?? '0.0.0.0',
      databaseUrl: databaseUrl(env.DATABASE_URL ?? DEFAULT_DATABASE_URL),
      databasePoolSize: positive(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE'),
      kafka: kafkaSettingsFromEnv(identity.service, env),
      bodyLimits: bodyLimitsFromEnv(env),
    };
  } catch (error) {
    throw new ConfigError(`${identity.service}: invalid configuration: ${(error as Error).message}`);
  }
}

function port(raw: string | undefined, fallback: number): number {
  const value = positive(raw, fallback, 'PORT');
  if (value > 65535) throw new Error(`PORT must be at most 65535, got ${value}`);
  return value;
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function databaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('DATABASE_URL is not a URL (expected postgres://user:password@host:5432/database)');
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
    throw new Error(`DATABASE_URL must be a postgres:// URL, got ${url.protocol}//`);
  }
  return raw;
}
