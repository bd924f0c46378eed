import { type MigrationInterface, type QueryRunner } from 'typeorm';

import { assertSchemaName, outboxChannel } from './schema-name';

/**
 * The messaging spine's tables in one service's schema:
 * - `events`: the event store, which is also the outbox. A row is appended in the same transaction as
 *   the state change it records; rows with a topic are published by the relay, which sets published_at.
 *   (stream_id, stream_version) is unique: that is the optimistic concurrency check.
 * - `inbox`: the ids of events a consumer group has handled, inserted in the handler's transaction.
 * - a statement-level trigger that NOTIFYs the relay when events are committed (NOTIFY is delivered on
 *   commit, so the relay wakes exactly when there is something visible to publish).
 */
export function messagingTablesMigration(schema: string): new () => MigrationInterface {
  const s = assertSchemaName(schema);
  const channel = outboxChannel(s);
  const className = `MessagingTables${s.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}1732300000000`;

  const migration = class implements MigrationInterface {
    name = className;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE TABLE "${s}".events (
          global_position bigserial PRIMARY KEY,
          event_id uuid NOT NULL UNIQUE,
          stream_id text NOT NULL,
          stream_version integer NOT NULL CHECK (stream_version > 0),
          type text NOT NULL,
          subject text NOT NULL,
          data jsonb NOT NULL,
          metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
          topic text,
          occurred_at timestamptz NOT NULL,
          recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          published_at timestamptz,
          CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
        )`);
      await queryRunner.query(
        `CREATE INDEX events_unpublished_idx ON "${s}".events (global_position)
           WHERE published_at IS NULL AND topic IS NOT NULL`,
      );
      await queryRunner.query(`
        CREATE TABLE "${s}".inbox (
          consumer text NOT NULL,
          event_id uuid NOT NULL,
          event_type text NOT NULL,
          handled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
          PRIMARY KEY (consumer, event_id)
        )`);
      await queryRunner.query(`
        CREATE FUNCTION "${s}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${channel}', '');
          RETURN NULL;
        END $$`);
      await queryRunner.query(`
        CREATE TRIGGER events_notify_outbox AFTER INSERT ON "${s}".events
          FOR EACH STATEMENT EXECUTE FUNCTION "${s}".notify_outbox()`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TRIGGER IF EXISTS events_notify_outbox ON "${s}".events`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS "${s}".notify_outbox()`);
      await queryRunner.query(`DROP TABLE IF EXISTS "${s}".inbox`);
      await queryRunner.query(`DROP TABLE IF EXISTS "${s}".events`);
    }
  };
  Object.defineProperty(migration, 'name', { value: className });
  return migration;
}
