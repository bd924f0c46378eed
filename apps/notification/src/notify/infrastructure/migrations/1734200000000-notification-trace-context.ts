import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The trace context of the event that planned a notification, so the worker's send (and the
 * notification.sent.v1 it records) continue the order's one trace instead of starting a trace of their own.
 */
export class NotificationTraceContext1734200000000 implements MigrationInterface {
  name = 'NotificationTraceContext1734200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE notification.notifications ADD COLUMN trace_context jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification.notifications DROP COLUMN trace_context`);
  }
}
