import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * notification's tables beside the event store:
 * - order_facts: the buyer and product from order.placed.v1 (delivery events do not carry the email);
 * - notifications: one durable job per (subject, recipient, purpose, dedupe key) — the UNIQUE constraint
 *   is what makes a redelivered event or a restart never notify twice. It holds the channel chain, where
 *   the fallback stands, the durable retry schedule, and the content the templates need (card keys only
 *   in the sealed form delivery sent; they are opened in memory at send time);
 * - attempts: every try on every channel, with its outcome.
 */
export class NotificationTables1734100000000 implements MigrationInterface {
  name = 'NotificationTables1734100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification.order_facts (
        order_id uuid PRIMARY KEY,
        email text NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        placed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE notification.notifications (
        notification_id uuid PRIMARY KEY,
        order_id uuid,
        subject text NOT NULL,
        recipient text NOT NULL,
        purpose text NOT NULL,
        dedupe_key text NOT NULL,
        channels text[] NOT NULL CHECK (cardinality(channels) > 0),
        channel_index integer NOT NULL DEFAULT 0,
        channel_attempts integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        status text NOT NULL CHECK (status IN ('awaiting-facts', 'pending', 'sending', 'sent', 'failed')),
        next_attempt_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        event_time timestamptz NOT NULL,
        content jsonb NOT NULL,
        sent_channel text,
        sent_at timestamptz,
        late boolean,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT notifications_once UNIQUE (subject, recipient, purpose, dedupe_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX notifications_due_idx ON notification.notifications (next_attempt_at)
        WHERE status IN ('pending', 'sending')`,
    );
    await queryRunner.query(`CREATE INDEX notifications_order_idx ON notification.notifications (order_id)`);
    await queryRunner.query(`
      CREATE TABLE notification.attempts (
        notification_id uuid NOT NULL REFERENCES notification.notifications ON DELETE CASCADE,
        attempt integer NOT NULL,
        channel text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('sending', 'sent', 'failed', 'in-doubt')),
        error text,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        PRIMARY KEY (notification_id, attempt)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification.attempts`);
    await queryRunner.query(`DROP TABLE notification.notifications`);
    await queryRunner.query(`DROP TABLE notification.order_facts`);
  }
}
