import { EventPublisher } from '@keyflow/testing';

/** Plays delivery, the SLA watch and the alerting side: publishes valid contract envelopes by subject. */
export class Upstream extends EventPublisher {
  constructor() {
    super('notification-e2e');
  }

  publish(
    type: string,
    subject: string,
    data: Record<string, unknown>,
    options: { id?: string; time?: string } = {},
  ) {
    return this.publishEvent(type, subject, data, options);
  }
}
