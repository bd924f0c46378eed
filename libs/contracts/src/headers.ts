/** Kafka header names the pipeline writes. Trace context uses the W3C names so any OTel SDK can read them. */
export const KafkaHeaders = {
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
