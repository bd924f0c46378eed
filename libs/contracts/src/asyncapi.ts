import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

import { type EventCatalog } from './event-catalog';
import { KafkaHeaders } from './headers';

type Schema = Record<string, unknown>;

/**
 * The public contract of every topic as an AsyncAPI 3.0 document, generated from the one declaration of
 * each event in this library (class-validator rules become JSON Schema). Supplier systems read it to
 * produce and consume our topics; `docs/asyncapi.json` is checked against it by a test, so it cannot drift.
 */
export function buildAsyncApiDocument(catalog: EventCatalog, version = '1.0.0'): Schema {
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<
    string,
    Schema
  >;
  const definitions = [...catalog.definitions()].sort((a, b) => a.type.localeCompare(b.type));
  const topics = [...new Set(definitions.map((d) => d.topic))].sort();

  const channels = Object.fromEntries(
    topics.map((topic) => [
      topic,
      {
        address: topic,
        description: `Kafka topic ${topic}. Key: the order id (the SKU for stock-level events).`,
        messages: Object.fromEntries(
          definitions
            .filter((d) => d.topic === topic)
            .map((d) => [d.type, { $ref: `#/components/messages/${d.type}` }]),
        ),
      },
    ]),
  );
  const operations = Object.fromEntries(
    topics.map((topic) => [
      `publish ${topic}`,
      {
        action: 'send',
        channel: { $ref: `#/channels/${topic}` },
        summary: `Events the pipeline publishes on ${topic}.`,
      },
    ]),
  );
  const messages = Object.fromEntries(
    definitions.map((d) => [
      d.type,
      {
        name: d.type,
        title: d.type,
        summary: d.description,
        contentType: 'application/json',
        headers: { $ref: '#/components/schemas/KafkaHeaders' },
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
      },
    ]),
  );

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Keyflow order pipeline events',
      version,
      description:
        'CloudEvents 1.0 (structured JSON) on Kafka. Payload changes within a version are additive; a breaking ' +
        'change gets a new wire name (e.g. order.placed.v2). Consumers must ignore fields they do not know.',
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        ...Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
        EventEnvelope: schemas.EventEnvelopeDto,
        KafkaHeaders: {
          type: 'object',
          properties: {
            [KafkaHeaders.traceparent]: { type: 'string', description: 'W3C trace context' },
            [KafkaHeaders.tracestate]: { type: 'string' },
            [KafkaHeaders.eventId]: { type: 'string', description: 'the envelope id' },
            [KafkaHeaders.eventType]: { type: 'string', description: 'the envelope type' },
            [KafkaHeaders.eventSource]: { type: 'string', description: 'the emitting service' },
          },
        },
      },
    },
  };
}
