import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { type Client } from 'pg';

import { ServiceProcess, eventually, testDatabaseUrl, testPort, withPgClient } from '@keyflow/testing';

const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const deliveryKeys = rsa();
const notificationKeys = rsa();

/** Postgres flushes a backend's transaction counts at the latest after it has been idle this long. */
const STATS_FLUSH_MS = 11_000;
const JOBS = 40;

/**
 * The delivery worker as a separate process whose poll is ten minutes: after its first tick at start,
 * only a NOTIFY (or a known due time) can make it look for work. The test process plays the one that
 * commits work (as delivery's Kafka consumer on another replica would).
 */
describe('delivery worker: woken across processes, many jobs per commit', () => {
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-suppliers/src/main.ts',
    port: testPort(),
    env: { SANDBOX_SUPPLIERS: 'backup' },
  });
  const delivery = new ServiceProcess({
    entry: 'apps/delivery/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      DELIVERY_SEALING_PRIVATE_KEY: deliveryKeys.privateKey,
      NOTIFICATION_SEALING_PUBLIC_KEY: notificationKeys.publicKey,
      DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_SUPPLIERS: JSON.stringify([
        { id: 'backup', kind: 'http-json', baseUrl: `${sandbox.url}/suppliers/backup` },
      ]),
      DELIVERY_WORKER_INTERVAL_MS: '600000',
      DELIVERY_WORKER_CONCURRENCY: String(JOBS + 10),
    },
  });

  /** Jobs as delivery's StockCommitted consumer queues them, and the NOTIFY it sends, in one transaction. */
  const queueJobs = (client: Client, count: number): Promise<string[]> => {
    const orders = Array.from({ length: count }, () => randomUUID());
    return client
      .query('BEGIN')
      .then(() =>
        client.query(
          `INSERT INTO delivery.delivery_jobs
             (order_id, delivery_id, reservation_id, sku, supplier_sku, quantity, route, idempotency_key, status)
           SELECT o, gen_random_uuid(), gen_random_uuid(), 'GIFT-10', 'GIFT-10-UP', 1, '{backup}', 'kf-' || o, 'pending'
           FROM unnest($1::uuid[]) AS o`,
          [orders],
        ),
      )
      .then(() => client.query(`SELECT pg_notify('delivery_work_jobs', '')`))
      .then(() => client.query('COMMIT'))
      .then(() => orders);
  };
  const delivered = (client: Client, orders: string[]) =>
    client
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM delivery.deliveries WHERE order_id = ANY($1::uuid[])`,
        [orders],
      )
      .then((result) => result.rows[0]!.n);
  const commitsSoFar = async (client: Client): Promise<number> => {
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>(
      `SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`,
    );
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS delivery CASCADE'));
    await sandbox.start();
    await delivery.start();
  });

  afterAll(async () => {
    await delivery.stop();
    await sandbox.stop();
  });

  it('given a worker that polls every ten minutes, when another process commits a job, then the NOTIFY wakes it and it delivers', async () => {
    await withPgClient(async (client) => {
      const orders = await queueJobs(client, 1);
      await eventually(async () => ((await delivered(client, orders)) === 1 ? true : undefined), {
        timeoutMs: 20_000,
        what: `a delivery woken by NOTIFY\n${delivery.output.slice(-3000)}`,
      });
    });
  });

  it(`given ${JOBS} due jobs, when the worker runs them, then the service takes fewer commits than jobs (claims, marks and outcomes are shared)`, async () => {
    await withPgClient(async (client) => {
      await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS)); // the first test's counts are in
      const before = await commitsSoFar(client);
      const orders = await queueJobs(client, JOBS); // 1 commit (BEGIN … COMMIT)
      let ownQueries = 2; // pg_stat_clear_snapshot and the count above are transactions of their own
      await eventually(
        async () => {
          ownQueries += 1;
          return (await delivered(client, orders)) === JOBS ? true : undefined;
        },
        { timeoutMs: 30_000, what: `${JOBS} deliveries\n${delivery.output.slice(-3000)}` },
      );
      await new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_MS));
      const service = (await commitsSoFar(client)) - before - 1 - ownQueries;
      // Job by job this costs at least 3 commits per job (mark started, outcome, rotation read) plus the
      // claims: 120+. Shared, a handful of transactions carry all of them; the rest of the count is the
      // outbox relay (publishing the 40 events, its fallback poll and backlog count every few seconds).
      expect(service).toBeLessThan(JOBS);
    });
  });
});
