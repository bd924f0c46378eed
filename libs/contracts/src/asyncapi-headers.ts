import { CLOUDEVENTS_JSON, KafkaHeaders } from './headers';

type Schema = Record<string, unknown>;

/** The Kafka headers of a pipeline record of one event type (see KafkaHeaders for why each is there). */
export function recordHeadersSchema(type: string): Schema {
  return {
    type: 'object',
    required: [KafkaHeaders.contentType, KafkaHeaders.eventId, KafkaHeaders.eventType],
    properties: {
      [KafkaHeaders.contentType]: {
        const: CLOUDEVENTS_JSON,
        description:
          'CloudEvents structured mode: the value is the whole event. Records published before this header ' +
          'existed lack it and are read the same way.',
      },
      [KafkaHeaders.eventId]: { type: 'string', format: 'uuid', description: 'the event id (repeats `id`)' },
      [KafkaHeaders.eventType]: { const: type, description: 'the event type (repeats `type`)' },
      [KafkaHeaders.eventSource]: { type: 'string', description: 'the emitting service (repeats `source`)' },
      [KafkaHeaders.traceparent]: { type: 'string', description: 'W3C trace context of the emitting span' },
      [KafkaHeaders.tracestate]: { type: 'string', description: 'W3C trace state' },
    },
  };
}

/** What the consumer adds when it gives up on a record and parks it on `<group>.dlq`. */
export const DEAD_LETTER_HEADERS: Schema = {
  type: 'object',
  description: 'The original record headers, plus why and where it failed.',
  required: [
    KafkaHeaders.dlqReason,
    KafkaHeaders.dlqOriginalTopic,
    KafkaHeaders.dlqOriginalPartition,
    KafkaHeaders.dlqOriginalOffset,
    KafkaHeaders.dlqConsumerGroup,
    KafkaHeaders.dlqFailedAt,
    KafkaHeaders.dlqAttempts,
  ],
  properties: {
    [KafkaHeaders.dlqReason]: {
      type: 'string',
      maxLength: 4000,
      description: 'why: an invalid envelope or payload (with the failing fields), or the handler error',
    },
    [KafkaHeaders.dlqOriginalTopic]: { type: 'string' },
    [KafkaHeaders.dlqOriginalPartition]: { type: 'string', pattern: '^[0-9]+$' },
    [KafkaHeaders.dlqOriginalOffset]: { type: 'string', pattern: '^[0-9]+$' },
    [KafkaHeaders.dlqConsumerGroup]: { type: 'string' },
    [KafkaHeaders.dlqFailedAt]: { type: 'string', format: 'date-time' },
    [KafkaHeaders.dlqAttempts]: {
      type: 'string',
      pattern: '^[0-9]+$',
      description: 'handler attempts made',
    },
    [KafkaHeaders.contentType]: { type: 'string', description: 'as on the original record, if it had one' },
    [KafkaHeaders.eventId]: { type: 'string' },
    [KafkaHeaders.eventType]: { type: 'string' },
    [KafkaHeaders.eventSource]: { type: 'string' },
    [KafkaHeaders.traceparent]: { type: 'string' },
    [KafkaHeaders.tracestate]: { type: 'string' },
  },
};
