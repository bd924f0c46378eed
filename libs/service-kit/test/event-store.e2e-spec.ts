import { randomUUID } from 'node:crypto';

import { type EventEnvelope, pipelineCatalog, Topics } from '@keyflow/contracts';
import {
  ContractViolationError,
  EventStore,
  type NewEvent,
  runWithCausingEvent,
  WrongExpectedVersionError,
} from '@keyflow/messaging';
import { dropSchema, OrderSource, uniqueSchemaName } from '@keyflow/testing';

const cancelled = (orderId: string) => ({
  type: 'order.cancelled.v1',
  topic: Topics.orders,
  data: { orderId, reason: 'operator', cancelledAt: new Date().toISOString() },
});

describe('event store (real Postgres)', () => {
  const source = new OrderSource(uniqueSchemaName('store_test'));

  beforeAll(() => source.start({ relay: false }));
  afterAll(async () => {
    await source.stop();
    await dropSchema(source.schema);
  });

  it('loads a stream in version order, with ids, versions and metadata', async () => {
    const orderId = (await source.placeOrderCommitted()).orderId;
    await source.dataSource.transaction((m) => source.store.append(m, orderId, 1, [cancelled(orderId)]));

    const events = await source.store.load(source.dataSource.manager, orderId);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'order.placed.v1'],
      [2, 'order.cancelled.v1'],
    ]);
    expect(events[0]!.metadata).toMatchObject({
      source: 'test-orders',
      correlationId: expect.any(String),
    });
    expect(BigInt(events[1]!.globalPosition)).toBeGreaterThan(BigInt(events[0]!.globalPosition));
  });

  it('rejects a stale expected version with a clear error instead of overwriting', async () => {
    const orderId = (await source.placeOrderCommitted()).orderId;
    const append = (expected: number | 'no-stream') =>
      source.dataSource.transaction((m) => source.store.append(m, orderId, expected, [cancelled(orderId)]));

    await expect(append('no-stream')).rejects.toThrow(WrongExpectedVersionError);
    await expect(append(0)).rejects.toThrow(`stream ${orderId} is at version 1, expected 0`);
    await expect(append(5)).rejects.toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_VERSION', actual: 1 });
    expect(await source.store.load(source.dataSource.manager, orderId)).toHaveLength(1);
  });

  it('lets exactly one of two concurrent writers with the same expected version win', async () => {
    const orderId = (await source.placeOrderCommitted()).orderId;
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        source.dataSource.transaction(async (m) => {
          const appended = await source.store.append(m, orderId, 1, [cancelled(orderId)]);
          await new Promise((resolve) => setTimeout(resolve, 50)); // both are inside their transactions now
          return appended;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [rejected] = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected!.reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await source.store.load(source.dataSource.manager, orderId)).toHaveLength(2);
  });

  it('appends several events in one statement, in order, with consecutive versions; "any" appends at the end', async () => {
    const orderId = (await source.placeOrderCommitted()).orderId;
    let statements = 0;
    const appended = await source.dataSource.transaction((m) => {
      const query = m.query.bind(m);
      m.query = ((...args: Parameters<typeof m.query>) => {
        statements += 1;
        return query(...args);
      }) as typeof m.query;
      return source.store.append(m, orderId, 1, [
        cancelled(orderId),
        { type: 'order.note-added', data: { n: 2 } },
        { type: 'order.note-added', data: { n: 3 } },
      ]);
    });
    expect(statements).toBe(1);
    expect(appended.nextExpectedVersion).toBe(4);
    expect(appended.events.map((e) => [e.streamVersion, e.type])).toEqual([
      [2, 'order.cancelled.v1'],
      [3, 'order.note-added'],
      [4, 'order.note-added'],
    ]);
    await source.dataSource.transaction((m) =>
      source.store.append(m, orderId, 'any', [{ type: 'order.note-added', data: { n: 5 } }]),
    );
    const stored = await source.store.load(source.dataSource.manager, orderId);
    expect(stored.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    const positions = stored.map((e) => BigInt(e.globalPosition));
    expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
    expect(stored.slice(2).map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }, { n: 5 }]);
  });

  it('appends nothing of a batch whose expected version is stale', async () => {
    const orderId = (await source.placeOrderCommitted()).orderId;
    await expect(
      source.dataSource.transaction((m) =>
        source.store.append(m, orderId, 'no-stream', [cancelled(orderId), cancelled(orderId)]),
      ),
    ).rejects.toMatchObject({ expected: 0, actual: 1 });
    expect(await source.store.load(source.dataSource.manager, orderId)).toHaveLength(1);
  });

  it('makes events appended while handling another event its effects: same correlation, caused by it', async () => {
    const cause: EventEnvelope = {
      specversion: '1.0',
      id: randomUUID(),
      type: 'payment.confirmed.v1',
      source: 'payment-callback',
      subject: randomUUID(),
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      correlationid: 'checkout-42',
      data: {},
    };
    const orderId = cause.subject;
    await runWithCausingEvent(cause, () =>
      source.dataSource.transaction((m) =>
        source.store.append(m, orderId, 'no-stream', [cancelled(orderId)]),
      ),
    );
    const [event] = await source.store.load(source.dataSource.manager, orderId);
    expect(event!.metadata).toMatchObject({ correlationId: 'checkout-42', causationId: cause.id });
  });

  it('reads all events after a position, for rebuilding projections', async () => {
    const before = await source.store.readAll(source.dataSource.manager, '0', 100000);
    const last = before[before.length - 1]!.globalPosition;
    const orderId = (await source.placeOrderCommitted()).orderId;
    const after = await source.store.readAll(source.dataSource.manager, last, 10);
    expect(after.map((e) => e.streamId)).toEqual([orderId]);
  });
});

describe('event store with the contract catalog', () => {
  const source = new OrderSource(uniqueSchemaName('contract_test'));

  beforeAll(() => source.start({ relay: false }));
  afterAll(async () => {
    await source.stop();
    await dropSchema(source.schema);
  });

  it('refuses to store a public event that breaks its contract, or on the wrong topic', async () => {
    const store = new EventStore(source.schema, 'orders', pipelineCatalog);
    const orderId = randomUUID();
    const append = (event: NewEvent) =>
      source.dataSource.transaction((m) => store.append(m, orderId, 'no-stream', [event]));

    await expect(
      append({ type: 'order.cancelled.v1', topic: Topics.orders, data: { orderId, reason: 'bored' } }),
    ).rejects.toThrow(ContractViolationError);
    await expect(append({ ...cancelled(orderId), topic: Topics.payments })).rejects.toThrow(
      /belongs on orders\.v1/,
    );
    await expect(append({ type: 'order.teleported.v1', topic: Topics.orders, data: {} })).rejects.toThrow(
      /not declared/,
    );
    // Internal events (no topic) are the service's own business.
    await expect(append({ type: 'order.note-added', data: { anything: 1 } })).resolves.toBeTruthy();
  });
});
