import { randomUUID } from 'node:crypto';

import { type OrderPlacedV1 } from '@keyflow/contracts';
import { dropSchema, eventually, OrderSource, uniqueSchemaName, withPgClient } from '@keyflow/testing';

import { workChannel } from '../src';
import { SinkProcess } from './fixtures/sink-process';

/**
 * Every NOTIFY in a database costs each backend LISTENing in it a transaction, so a service process keeps
 * one listening connection, shared by its outbox relay and its workers' wake-ups. The sink fixture runs as a
 * real process with both: its relay (idle poll 30 s) and a worker that polls once an hour, so within the
 * waits below only NOTIFYs heard on the shared connection can make them act.
 */
describe('one LISTEN connection per process, shared by the relay and the workers (real Postgres, Kafka, separate process)', () => {
  const sourceSchema = uniqueSchemaName('listen_src');
  const schema = uniqueSchemaName('listen_sink');
  const service = `listen-sink-${schema.split('_').pop()}`;
  const channel = workChannel(schema, 'pings');
  let source: OrderSource;
  let sink: SinkProcess;

  beforeAll(async () => {
    source = await new OrderSource(sourceSchema).start();
    sink = new SinkProcess({ service, schema, port: 3800 + Math.floor(Math.random() * 90) });
    await sink.start();
  }, 180000);

  afterAll(async () => {
    await sink?.stop();
    await source?.stop();
    await dropSchema(schema);
    await dropSchema(sourceSchema);
  });

  /** The sink's backends by application name (the relay's lock connection, the listener, the pool). */
  const backends = () =>
    withPgClient(async (client) => {
      const { rows } = await client.query<{ pid: number; application_name: string }>(
        `SELECT pid, application_name FROM pg_stat_activity
          WHERE datname = current_database() AND application_name LIKE $1 ORDER BY pid`,
        [`${service}-%`],
      );
      return rows;
    });
  const listeners = async () =>
    (await backends()).filter((row) => row.application_name === `${service}-listener`);

  /** A ping committed with its NOTIFY, as a producer of work in any process does; resolves on its pong. */
  const pingAnswered = async (what: string) => {
    const id = randomUUID();
    await withPgClient(async (client) => {
      await client.query('BEGIN');
      await client.query(`INSERT INTO "${schema}".pings (id) VALUES ($1)`, [id]);
      await client.query(`SELECT pg_notify($1, '')`, [channel]);
      await client.query('COMMIT');
    });
    await eventually(
      () =>
        withPgClient(async (client) => {
          const { rowCount } = await client.query(`SELECT 1 FROM "${schema}".pongs WHERE id = $1`, [id]);
          return rowCount === 1 ? true : undefined;
        }),
      { timeoutMs: 25000, what },
    );
  };

  /**
   * An order the sink consumes: its handler appends stock.reserved.v1 (the events trigger NOTIFYs), the
   * sink's relay must hear it to publish it, and the sink records its own downstream effect on consuming it.
   */
  const relayWoken = async (what: string, timeoutMs = 25000) => {
    const placed: OrderPlacedV1 = await source.placeOrderCommitted();
    await eventually(
      () =>
        withPgClient(async (client) => {
          const { rowCount } = await client.query(
            `SELECT 1 FROM "${schema}".downstream_effects WHERE order_id = $1`,
            [placed.orderId],
          );
          return rowCount === 1 ? true : undefined;
        }),
      { timeoutMs, what },
    );
  };

  it('has one listening connection, through which both the relay and a worker are woken', async () => {
    await relayWoken('the sink consuming and its relay publishing (first order)', 120000);
    const names = (await backends()).map((row) => row.application_name);
    expect(names.filter((name) => name === `${service}-listener`)).toHaveLength(1);
    expect(names).toContain(`${service}-outbox-relay`); // the relay's lock connection, not listening
    expect(names).not.toContain(`${service}-work-wakeups`);

    await pingAnswered('the worker woken by a NOTIFY on its channel');
    await relayWoken('the relay woken by the events trigger’s NOTIFY');
  }, 180000);

  it('makes the connection again when it is lost, and both are woken through the new one', async () => {
    const [before] = await listeners();
    expect(before).toBeDefined();
    await withPgClient((client) => client.query('SELECT pg_terminate_backend($1)', [before!.pid]));

    const [after] = await eventually(
      async () => {
        const now = await listeners();
        return now.length === 1 && now[0]!.pid !== before!.pid ? now : undefined;
      },
      { what: 'a new listening connection' },
    );
    expect(after!.pid).not.toBe(before!.pid);

    await pingAnswered('the worker woken through the new connection');
    await relayWoken('the relay woken through the new connection');
    expect(await listeners()).toHaveLength(1);
  }, 180000);
});
