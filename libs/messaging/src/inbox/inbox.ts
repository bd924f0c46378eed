import { type EntityManager } from 'typeorm';

import { assertSchemaName } from '../event-store/schema-name';

/**
 * Records that a consumer group handled an event, inside the handler's transaction. The primary key
 * (consumer, event_id) with ON CONFLICT DO NOTHING makes this the de-duplication: a redelivered event
 * inserts nothing, and a concurrent duplicate waits for the first transaction and then inserts nothing.
 */
export async function recordInInbox(
  manager: EntityManager,
  schema: string,
  consumer: string,
  eventId: string,
  eventType: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO "${assertSchemaName(schema)}".inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, eventId, eventType],
  );
  return rows.length === 1;
}
