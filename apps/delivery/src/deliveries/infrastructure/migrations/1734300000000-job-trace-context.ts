import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The trace context of the StockCommitted that created a job, so the worker's purchase (and the supplier
 * calls under it) continue the order's one trace instead of starting a trace of their own.
 */
export class JobTraceContext1734300000000 implements MigrationInterface {
  name = 'JobTraceContext1734300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE delivery.delivery_jobs ADD COLUMN trace_context jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery.delivery_jobs DROP COLUMN trace_context`);
  }
}
