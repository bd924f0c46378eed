import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Who reconciled an abandoned purchase and what they found (outcome and reconciled_at already exist). */
export class AbandonedPurchaseReconciliation1734500000000 implements MigrationInterface {
  name = 'AbandonedPurchaseReconciliation1734500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE delivery.abandoned_purchases ADD COLUMN reconciled_by text, ADD COLUMN note text`);
    await queryRunner.query(`
      CREATE INDEX abandoned_purchases_open_idx ON delivery.abandoned_purchases (abandoned_at)
        WHERE reconciled_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery.abandoned_purchases_open_idx`);
    await queryRunner.query(`
      ALTER TABLE delivery.abandoned_purchases DROP COLUMN note, DROP COLUMN reconciled_by`);
  }
}
