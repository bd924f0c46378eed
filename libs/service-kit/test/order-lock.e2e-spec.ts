import { randomUUID } from 'node:crypto';

import { Client } from 'pg';
import { type EntityManager } from 'typeorm';

import { lockOrder, lockOrders } from '@keyflow/messaging';
import { eventually, testDatabaseUrl } from '@keyflow/testing';

/**
 * The shared per-order lock (libs/messaging order-lock) on real Postgres: what consumers take up front for
 * a batch's orders. Waiting is observed in pg_locks (a lock not granted), never timed.
 */
describe('per-order locks (real Postgres)', () => {
  const scope = `lock_test_${process.pid}`;
  const sessions: Client[] = [];

  const session = async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    sessions.push(client);
    const pid: number = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    // lockOrders needs only `query`, as on a transaction's EntityManager.
    const manager = {
      query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
    } as unknown as EntityManager;
    return { client, pid, manager };
  };

  /** Resolves once the session waits for an advisory lock it has asked for. */
  const waitingForLock = (observer: Client, pid: number) =>
    eventually(async () => {
      const { rows } = await observer.query(
        `SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted`,
        [pid],
      );
      return rows.length > 0 ? true : undefined;
    });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((client) => client.end().catch(() => undefined)));
  });

  it('two transactions locking the same orders given in opposite orders wait for each other, and neither deadlocks', async () => {
    const [x, y, z] = [randomUUID(), randomUUID(), randomUUID()];
    const a = await session();
    const b = await session();
    const observer = await session();
    await a.client.query('BEGIN');
    await b.client.query('BEGIN');
    await lockOrders(a.manager, scope, [x, y, z]);
    const bLocked = lockOrders(b.manager, scope, [z, y, x]).then(() => 'locked');
    await waitingForLock(observer.client, b.pid);
    // A goes on with its own orders (as its handlers do, each locking its order again) without waiting.
    await lockOrder(a.manager, scope, y);
    await lockOrder(a.manager, scope, x);
    await a.client.query('COMMIT');
    await expect(bLocked).resolves.toBe('locked');
    await b.client.query('COMMIT');
  });

  it('the same orders locked one by one in opposite orders deadlock (what a batch did before it locked up front)', async () => {
    const [x, y] = [randomUUID(), randomUUID()];
    const a = await session();
    const b = await session();
    const observer = await session();
    await a.client.query('BEGIN');
    await b.client.query('BEGIN');
    await lockOrder(a.manager, scope, x);
    await lockOrder(b.manager, scope, y);
    const aNext = lockOrder(a.manager, scope, y).then(
      () => 'locked',
      (error: { code?: string }) => error.code,
    );
    await waitingForLock(observer.client, a.pid);
    const bNext = lockOrder(b.manager, scope, x).then(
      () => 'locked',
      (error: { code?: string }) => error.code,
    );
    const outcomes = await Promise.all([aNext, bNext]);
    expect(outcomes).toContain('40P01'); // deadlock_detected: Postgres rolled one of them back
    await a.client.query('ROLLBACK');
    await b.client.query('ROLLBACK');
  });

  it('keeps services apart: the same order under another scope is not the same lock', async () => {
    const orderId = randomUUID();
    const a = await session();
    const b = await session();
    await a.client.query('BEGIN');
    await b.client.query('BEGIN');
    await lockOrder(a.manager, scope, orderId);
    await lockOrder(b.manager, `${scope}_other`, orderId); // would wait forever if it were the same key
    const held = await b.client.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND granted`,
      [b.pid],
    );
    expect(held.rows[0].n).toBe(1);
    await a.client.query('COMMIT');
    await b.client.query('COMMIT');
  });
});
