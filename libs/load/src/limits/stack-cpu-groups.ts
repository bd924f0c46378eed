import fs from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import { type CpuGroups } from './process-cpu';

export interface StackCpuSources {
  /** The stack's processes (services, sandboxes, mail catcher) by name. */
  processes: () => Array<{ name: string; pid?: number }>;
  /** The broker's state directory (scripts/kafka.sh keeps `broker.pid` there). */
  kafkaStateDir?: string;
  /** The run's database: its backends are found through pg_stat_activity. */
  databaseUrl: string;
}

/** The broker JVM's pid from scripts/kafka.sh's pid file, if it runs. */
export function kafkaBrokerPid(stateDir: string | undefined): number | undefined {
  if (!stateDir) return undefined;
  try {
    const pid = Number(fs.readFileSync(path.join(stateDir, 'broker.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every process a benchmark's orders cost CPU in: each process of the stack, the benchmark itself, the
 * Kafka broker and the Postgres backends serving the run's database (the server's shared background
 * processes, and backends of other databases, are left out). Backends are listed through pg_stat_activity
 * from the `postgres` database every five seconds, so the listing itself adds no commit to the run's
 * database. Call `close()` when done.
 */
export function stackCpuGroups(sources: StackCpuSources): { groups: CpuGroups; close: () => Promise<void> } {
  const database = new URL(sources.databaseUrl).pathname.replace(/^\//, '');
  const maintenance = new URL(sources.databaseUrl);
  maintenance.pathname = '/postgres';
  let client: Client | undefined;
  let backends: number[] = [];
  let listedAt = 0;
  const listBackends = async (): Promise<number[]> => {
    if (Date.now() - listedAt < 5000) return backends;
    listedAt = Date.now();
    try {
      if (!client) {
        client = new Client({ connectionString: maintenance.toString() });
        await client.connect();
      }
      const { rows } = await client.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      );
      backends = rows.map((row) => row.pid);
    } catch {
      // No access to the server's process list: Postgres is left out rather than the run failing.
    }
    return backends;
  };
  const groups: CpuGroups = async () => {
    const kafka = kafkaBrokerPid(sources.kafkaStateDir);
    return [
      ...sources.processes().map(({ name, pid }) => ({ name, pids: pid ? [pid] : [] })),
      { name: 'bench', pids: [process.pid] },
      { name: 'kafka', pids: kafka ? [kafka] : [] },
      { name: 'postgres', pids: await listBackends() },
    ];
  };
  return { groups, close: async () => void (await client?.end().catch(() => undefined)) };
}
