import { CLOUDEVENTS_JSON, type EventEnvelope, KafkaHeaders } from '@keyflow/contracts';
import { type IHeaders } from 'kafkajs';

import { type StoredEvent } from '../event-store/event-store';
import { type OutgoingRecord } from '../kafka/kafka-producer';
import { type TraceCarrier } from '../tracing/trace-carrier';

export function toEnvelope(event: StoredEvent): EventEnvelope {
  return {
    specversion: '1.0',
    id: event.eventId,
    type: event.type,
    source: event.metadata.source,
    subject: event.subject,
    time: event.occurredAt,
    datacontenttype: 'application/json',
    correlationid: event.metadata.correlationId,
    ...(event.metadata.causationId ? { causationid: event.metadata.causationId } : {}),
    data: event.data,
  };
}

/**
 * The Kafka record for a stored event: keyed by subject (the order id), so one order stays in order; a
 * CloudEvent in structured mode (see KafkaHeaders), so any CloudEvents SDK reads every attribute.
 */
export function toOutgoingRecord(event: StoredEvent, trace: TraceCarrier): OutgoingRecord {
  const headers: IHeaders = {
    [KafkaHeaders.contentType]: CLOUDEVENTS_JSON,
    [KafkaHeaders.eventId]: event.eventId,
    [KafkaHeaders.eventType]: event.type,
    [KafkaHeaders.eventSource]: event.metadata.source,
  };
  if (trace.traceparent) headers[KafkaHeaders.traceparent] = trace.traceparent;
  if (trace.tracestate) headers[KafkaHeaders.tracestate] = trace.tracestate;
  return { topic: event.topic!, key: event.subject, value: JSON.stringify(toEnvelope(event)), headers };
}
