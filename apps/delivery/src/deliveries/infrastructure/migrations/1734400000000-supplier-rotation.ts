import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Suppliers an operator took out of rotation (and put back): the failover router skips them for new
 * purchases on every delivery instance, and the row says who did it, when and why.
 */
export class SupplierRotation1734400000000 implements MigrationInterface {
  name = 'SupplierRotation1734400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivery.supplier_rotation (
        supplier_id text PRIMARY KEY,
        in_rotation boolean NOT NULL,
        reason text NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivery.supplier_rotation`);
  }
}
