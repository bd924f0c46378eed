import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Approvals that arrived before the order they approve: risk.v1 and orders.v1 are different topics, so
 * RiskApproved can overtake OrderPlaced. The approval waits here until the reservation exists.
 */
export class PendingCommits1733200000000 implements MigrationInterface {
  name = 'PendingCommits1733200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inventory.pending_commits (
        order_id uuid PRIMARY KEY,
        approved_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inventory.pending_commits`);
  }
}
