import { DEAD_LETTER_HEADERS, recordHeadersSchema } from './asyncapi-headers';
import { type EventCatalog, type EventDefinition } from './event-catalog';
import { SKU_PATTERN } from './events/common';
import { CLOUDEVENTS_JSON } from './headers';
import { jsonSchemasOfValidatedClasses } from './json-schemas';
import { consumerGroupFor, deadLetterTopicFor } from './topics';

type Schema = Record<string, unknown>;
const KAFKA_BINDING = '0.5.0';

const KEY_SCHEMAS: Record<NonNullable<EventDefinition['subject']>, Schema> = {
  'order id': { type: 'string', format: 'uuid', description: 'the order id (= subject)' },
  SKU: { type: 'string', pattern: SKU_PATTERN.source, description: 'the SKU (= subject)' },
  'alert key': { type: 'string', description: 'the alert key (= subject)' },
};

/**
 * The public contract of every topic as an AsyncAPI 3.1 document, generated from the one declaration of
 * each event in this library (class-validator rules become JSON Schema, nested classes included through
 * class-transformer's `@Type`). Supplier systems read it to consume and produce our topics;
 * `docs/asyncapi.json` is checked against it, and parsed with @asyncapi/parser, by a test.
 * `subscriptions` (service → event types it consumes) gives the receive operations and the DLQ channels.
 */
export function buildAsyncApiDocument(
  catalog: EventCatalog,
  subscriptions: Readonly<Record<string, readonly string[]>>,
  version = '1.0.0',
): Schema {
  const schemas = jsonSchemasOfValidatedClasses();
  const definitions = [...catalog.definitions()].sort((a, b) => a.type.localeCompare(b.type));
  const topics = [...new Set(definitions.map((d) => d.topic))].sort();
  const consumers = Object.entries(subscriptions)
    .flatMap(([service, types]) => types.map((type) => ({ service, type, topic: catalog.topicOf(type) })))
    .sort((a, b) => a.type.localeCompare(b.type));
  const groups = [...new Set(consumers.map((c) => consumerGroupFor(c.service, c.topic)))].sort();
  const onTopic = (topic: string) => definitions.filter((d) => d.topic === topic);

  const channels: Schema = Object.fromEntries(
    topics.map((topic) => [
      topic,
      {
        address: topic,
        title: topic,
        description:
          `Kafka topic ${topic}. Key: the event's subject (the order id unless the message says otherwise), ` +
          "so each order's events stay on one partition, in order.",
        messages: Object.fromEntries(
          onTopic(topic).map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }]),
        ),
        bindings: { kafka: { topic, bindingVersion: KAFKA_BINDING } },
      },
    ]),
  );
  for (const group of groups) {
    const dlq = deadLetterTopicFor(group);
    channels[dlq] = {
      address: dlq,
      title: dlq,
      description: `What consumer group ${group} could not process, with the reason, for an operator to inspect.`,
      messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
      bindings: { kafka: { topic: dlq, partitions: 1, bindingVersion: KAFKA_BINDING } },
    };
  }

  const operations: Schema = {};
  for (const topic of topics) {
    operations[`send ${topic}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${topic}` },
      summary: `Events the pipeline publishes on ${topic}.`,
      messages: onTopic(topic).map((d) => ({ $ref: `#/channels/${topic}/messages/${d.type}` })),
    };
    const received = [...new Set(consumers.filter((c) => c.topic === topic).map((c) => c.type))];
    if (received.length === 0) continue;
    const readers = groups.filter((g) => g.endsWith(`.${topic}`));
    operations[`receive ${topic}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${topic}` },
      summary: `Events the pipeline consumes from ${topic}.`,
      description:
        'A system outside the pipeline that is allowed to produce to this topic (a supplier with a producer ' +
        'ACL) must send exactly these messages: structured-mode CloudEvents, keyed by subject, validated on ' +
        'consume; anything else is dead-lettered to `<group>.dlq` with the reason.',
      messages: received.map((type) => ({ $ref: `#/channels/${topic}/messages/${type}` })),
      bindings: {
        kafka: { groupId: { type: 'string', enum: readers }, bindingVersion: KAFKA_BINDING },
      },
    };
  }
  for (const group of groups) {
    const dlq = deadLetterTopicFor(group);
    operations[`send ${dlq}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${dlq}` },
      summary: `Consumer group ${group} parks what it cannot process here.`,
      messages: [{ $ref: `#/channels/${dlq}/messages/DeadLetter` }],
    };
  }

  const messages: Schema = Object.fromEntries(
    definitions.map((d) => [
      d.type,
      {
        name: d.type,
        title: d.type,
        summary: d.description,
        contentType: CLOUDEVENTS_JSON,
        headers: recordHeadersSchema(d.type),
        payload: {
          allOf: [
            { $ref: '#/components/schemas/EventEnvelope' },
            {
              type: 'object',
              properties: {
                type: { const: d.type },
                data: { $ref: `#/components/schemas/${d.payload.name}` },
              },
            },
          ],
        },
        bindings: { kafka: { key: KEY_SCHEMAS[d.subject ?? 'order id'], bindingVersion: KAFKA_BINDING } },
      },
    ]),
  );
  messages.DeadLetter = {
    name: 'DeadLetter',
    title: 'Dead-lettered record',
    summary: 'The original record, key and value unchanged, with the reason in its headers.',
    headers: DEAD_LETTER_HEADERS,
    payload: { description: 'the original record value, as it was (it may be invalid)' },
    bindings: { kafka: { key: { type: 'string' }, bindingVersion: KAFKA_BINDING } },
  };

  return {
    asyncapi: '3.1.0',
    info: {
      title: 'Keyflow order pipeline events',
      version,
      description:
        'CloudEvents 1.0 in structured mode (header `content-type: application/cloudevents+json`, the value ' +
        'is the JSON event) on Kafka. Payload changes within a version are additive; a breaking change gets ' +
        'a new wire name (e.g. order.placed.v2). Consumers must ignore fields they do not know.',
    },
    defaultContentType: CLOUDEVENTS_JSON,
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The broker `npm start` runs (scripts/kafka.sh): plaintext, no authentication.',
      },
      production: {
        host: '{bootstrap}',
        protocol: 'kafka-secure',
        description:
          'A production cluster: TLS and SASL (KAFKA_SSL=true, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, ' +
          'KAFKA_SASL_PASSWORD[_FILE]); each outside system gets its own user and topic ACLs.',
        variables: { bootstrap: { description: 'the bootstrap host:port of the cluster' } },
        security: [{ $ref: '#/components/securitySchemes/saslScram' }],
      },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: {
        ...Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
        EventEnvelope: schemas.EventEnvelopeDto,
      },
      securitySchemes: {
        saslScram: {
          type: 'scramSha512',
          description: 'SASL/SCRAM over TLS (plain and scram-sha-256 are configurable too).',
        },
      },
    },
  };
}
