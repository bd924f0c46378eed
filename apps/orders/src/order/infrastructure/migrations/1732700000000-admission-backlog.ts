import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Checkout admission reads the recent completion rate (orders completed in the last N seconds) on every
 * backlog refresh; without this index that count would scan the whole read model.
 */
export class AdmissionBacklog1732700000000 implements MigrationInterface {
  name = 'AdmissionBacklog1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX order_view_completed_idx ON orders.order_view (completed_at) WHERE completed_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX orders.order_view_completed_idx`);
  }
}
