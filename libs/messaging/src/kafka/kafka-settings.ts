import { readFileSync } from 'node:fs';

import { type SASLOptions } from 'kafkajs';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  sasl?: SASLOptions;
  /** Partitions for topics the project creates; the unit of consumer parallelism per group. */
  topicPartitions: number;
  replicationFactor: number;
  /** How long the group waits for a silent member before giving its partitions to others (a crash). */
  consumerSessionTimeoutMs: number;
  /** Most Kafka messages a consumer handles in one Postgres transaction (one commit for all of them). */
  consumerMessagesPerTransaction: number;
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Reads Kafka connection settings from the environment. TLS and SASL are configuration, so production
 * turns them on without code changes: KAFKA_SSL=true, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE for a mounted secret).
 */
export function kafkaSettingsFromEnv(clientId: string, env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new Error('KAFKA_BROKERS must name at least one host:port');
  const settings: KafkaSettings = {
    brokers,
    clientId,
    ssl: env.KAFKA_SSL === 'true',
    topicPartitions: positiveInt(env.KAFKA_TOPIC_PARTITIONS, 3, 'KAFKA_TOPIC_PARTITIONS'),
    replicationFactor: positiveInt(env.KAFKA_REPLICATION_FACTOR, 1, 'KAFKA_REPLICATION_FACTOR'),
    consumerSessionTimeoutMs: positiveInt(
      env.KAFKA_CONSUMER_SESSION_TIMEOUT_MS,
      30000,
      'KAFKA_CONSUMER_SESSION_TIMEOUT_MS',
    ),
    consumerMessagesPerTransaction: positiveInt(
      env.KAFKA_CONSUMER_MESSAGES_PER_TRANSACTION,
      64,
      'KAFKA_CONSUMER_MESSAGES_PER_TRANSACTION',
    ),
  };
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new Error(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD ?? readSecretFile(env.KAFKA_SASL_PASSWORD_FILE);
    if (!username || !password) {
      throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or _FILE) are required with SASL');
    }
    settings.sasl = { mechanism, username, password } as SASLOptions;
  }
  return settings;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function readSecretFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  return readFileSync(path, 'utf8').trim();
}
