import { randomUUID } from 'node:crypto';

import { type CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage } from 'cloudevents';

import { consumerGroupFor, Topics } from '@keyflow/contracts';
import {
  dropSchema,
  EventPublisher,
  OrderSource,
  type ProbedMessage,
  TopicProbe,
  uniqueSchemaName,
  waitForCommittedOffset,
  withPgClient,
} from '@keyflow/testing';

import { SinkProcess } from './fixtures/sink-process';

/** What a consumer using the CloudEvents SDK hands its Kafka binding: string headers, the raw value. */
const asSdkMessage = (record: ProbedMessage): KafkaMessage<string> => ({
  key: record.key!,
  value: record.value!,
  headers: record.headers,
  body: record.value!,
});

describe('records are CloudEvents in structured mode (real Kafka, Postgres, the cloudevents SDK)', () => {
  const schema = uniqueSchemaName('ce_source');
  let source: OrderSource;
  let probe: TopicProbe;

  beforeAll(async () => {
    source = await new OrderSource(schema).start();
    probe = await new TopicProbe([Topics.orders]).start();
  });

  afterAll(async () => {
    await probe?.stop();
    await source?.stop();
    await dropSchema(schema);
  });

  it("the SDK's Kafka binding reads every attribute of a record the outbox relay published", async () => {
    const placed = await source.placeOrderCommitted();
    const [record] = await probe.waitFor((m) => m.key === placed.orderId, 1);
    expect(record!.headers['content-type']).toBe('application/cloudevents+json');

    const stored = await withPgClient(async (client) => {
      const { rows } = await client.query<{
        event_id: string;
        occurred_at: Date;
        data: object;
        metadata: { correlationId: string };
      }>(`SELECT event_id, occurred_at, data, metadata FROM "${schema}".events WHERE stream_id = $1`, [
        placed.orderId,
      ]);
      return rows[0]!;
    });
    const event = CloudEventsKafka.toEvent(asSdkMessage(record!));
    const read = (Array.isArray(event) ? event[0] : event) as CloudEvent<unknown>;
    expect(read.validate()).toBe(true);
    expect(read.specversion).toBe('1.0');
    expect(read.id).toBe(stored.event_id);
    expect(read.type).toBe('order.placed.v1');
    expect(read.source).toBe('test-orders');
    expect(read.subject).toBe(placed.orderId);
    expect(read.time).toBe(stored.occurred_at.toISOString());
    expect(read.datacontenttype).toBe('application/json');
    expect(read.data).toEqual(stored.data);
    expect(read.data).toMatchObject({ orderId: placed.orderId, sku: placed.sku, total: placed.total });
    expect(read['correlationid']).toBe(stored.metadata.correlationId);
  });
});

describe('a consumer reads records in both formats (real Kafka, Postgres, separate process)', () => {
  const schema = uniqueSchemaName('ce_sink');
  const service = `ce-sink-${schema.split('_').pop()}`;
  const group = consumerGroupFor(service, Topics.orders);
  let sink: SinkProcess;
  let publisher: EventPublisher;

  beforeAll(async () => {
    publisher = await new EventPublisher('ce-test').start();
    sink = new SinkProcess({ service, schema, port: 3900 + Math.floor(Math.random() * 90) });
    await sink.start();
  }, 180000);

  afterAll(async () => {
    await sink?.stop();
    await publisher?.stop();
    await dropSchema(schema);
  });

  it('handles a record published before structured mode (ce_* headers, no content-type) and one after', async () => {
    const legacy = randomUUID();
    const structured = randomUUID();
    const probe = await new TopicProbe([Topics.orders]).start();
    try {
      const completedAt = new Date().toISOString();
      await publisher.publishEvent(
        'order.completed.v1',
        legacy,
        { orderId: legacy, completedAt },
        { legacy: true },
      );
      await publisher.publishEvent('order.completed.v1', structured, { orderId: structured, completedAt });
      const records = await probe.waitFor((m) => m.key === legacy || m.key === structured, 2);
      expect(records.find((m) => m.key === legacy)!.headers['content-type']).toBeUndefined();
      expect(records.find((m) => m.key === structured)!.headers['content-type']).toBe(
        'application/cloudevents+json',
      );
      for (const record of records)
        await waitForCommittedOffset(group, Topics.orders, record.partition, record.offset, 120000);
    } finally {
      await probe.stop();
    }
    const handled = await withPgClient(async (client) => {
      const { rows } = await client.query<{ order_id: string }>(
        `SELECT order_id FROM "${schema}".completions WHERE order_id = ANY($1::uuid[])`,
        [[legacy, structured]],
      );
      return rows.map((row) => row.order_id).sort();
    });
    expect(handled).toEqual([legacy, structured].sort());
  });
});
