/**
 * Kafka header names the pipeline writes. Trace context uses the W3C names so any OTel SDK can read them.
 * `content-type: application/cloudevents+json` marks a record as a CloudEvent in structured mode (the value
 * is the whole envelope), as the CloudEvents Kafka binding defines; without it SDKs read binary mode and
 * take the whole envelope for `data`. The `ce_*` headers repeat id, type and source so tools such as kcat
 * can filter without parsing the value; the value stays the one source of truth.
 */
export const KafkaHeaders = {
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  eventId: 'ce_id',
  eventType: 'ce_type',
  eventSource: 'ce_source',
  dlqReason: 'dlq_reason',
  dlqOriginalTopic: 'dlq_original_topic',
  dlqOriginalPartition: 'dlq_original_partition',
  dlqOriginalOffset: 'dlq_original_offset',
  dlqConsumerGroup: 'dlq_consumer_group',
  dlqFailedAt: 'dlq_failed_at',
  dlqAttempts: 'dlq_attempts',
} as const;

/** The media type of a CloudEvent in structured mode with the JSON event format. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';
