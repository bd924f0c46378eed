import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkout admission counts, on every backlog refresh, the placed orders the pipeline has not taken up yet
 * and the orders completed in the last N seconds; without these indexes both counts would scan the read
 * model (the first is small: only orders still waiting for their reservation are in it).
 */
export class AdmissionBacklog1732700000000 implements MigrationInterface {
  name = 'AdmissionBacklog1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX order_view_unprocessed_idx ON orders.order_view (placed_at)
        WHERE status = 'awaiting-payment' AND current_stage = 'stock-reservation'`,
    );
    await queryRunner.query(
      `CREATE INDEX order_view_completed_idx ON orders.order_view (completed_at) WHERE completed_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX orders.order_view_completed_idx`);
    await queryRunner.query(`DROP INDEX orders.order_view_unprocessed_idx`);
  }
}
