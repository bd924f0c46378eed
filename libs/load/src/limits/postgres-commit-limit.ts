import { Client } from 'pg';

/**
 * This machine's ceiling for durable commits: `clients` connections each committing small single-row
 * transactions (an insert, like an inbox row) as fast as they can for `seconds`. Divided by the transactions
 * one order needs, it bounds the pipeline's orders/s whatever the code does.
 */
export async function measurePostgresCommitLimit(options: {
  databaseUrl: string;
  clients: number;
  seconds: number;
}): Promise<{ clients: number; commits_per_s: number }> {
  const table = `limit_commits_${process.pid}`;
  const setup = new Client({ connectionString: options.databaseUrl });
  await setup.connect();
  await setup.query(`CREATE TABLE IF NOT EXISTS public.${table} (id bigserial primary key, payload jsonb)`);
  let commits = 0;
  const until = Date.now() + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const client = new Client({ connectionString: options.databaseUrl });
      await client.connect();
      while (Date.now() < until) {
        await client.query('BEGIN');
        await client.query(`INSERT INTO public.${table} (payload) VALUES ($1)`, ['{"pad":"inbox row"}']);
        await client.query('COMMIT');
        commits += 1;
      }
      await client.end();
    }),
  );
  await setup.query(`DROP TABLE public.${table}`);
  await setup.end();
  return { clients: options.clients, commits_per_s: Math.round(commits / options.seconds) };
}

/** Commits the whole database has made so far (pg_stat_database), to count transactions per order. */
export async function databaseCommits(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
