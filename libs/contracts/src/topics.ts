/**
 * Kafka topics are public contracts: one topic per emitting service, versioned in the name.
 * A breaking change gets a new topic (`orders.v2`) beside the old one; additive changes stay in v1.
 */
export const Topics = {
  orders: 'orders.v1',
  payments: 'payments.v1',
  inventory: 'inventory.v1',
  risk: 'risk.v1',
  delivery: 'delivery.v1',
  notifications: 'notifications.v1',
  alerts: 'alerts.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly TopicName[] = Object.values(Topics);

/** Consumer groups are `<service>.<topic>`: one group (and one consumer) per subscribed topic. */
export function consumerGroupFor(service: string, topic: string): string {
  return `${service}.${topic}`;
}

/** The dead-letter topic beside a consumer group, holding what that group could not process and why. */
export function deadLetterTopicFor(consumerGroup: string): string {
  return `${consumerGroup}.dlq`;
}
