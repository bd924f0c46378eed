import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The SLA watch's durable state: per-order deadlines (tier 1 notice, tier 3 escalation) that survive
 * restarts, and the operator alerts currently raised (so each is raised once while true and resolved once).
 */
export class SlaWatch1732500000000 implements MigrationInterface {
  name = 'SlaWatch1732500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders.order_view ADD COLUMN delivered_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX order_view_paid_idx ON orders.order_view (paid_at) WHERE paid_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE orders.sla_deadlines (
        order_id uuid NOT NULL,
        tier smallint NOT NULL,
        due_at timestamptz NOT NULL,
        fired_at timestamptz,
        PRIMARY KEY (order_id, tier)
      )`);
    await queryRunner.query(
      `CREATE INDEX sla_deadlines_due_idx ON orders.sla_deadlines (due_at) WHERE fired_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE orders.alert_state (
        alert_key text PRIMARY KEY,
        active boolean NOT NULL,
        raised_at timestamptz,
        resolved_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders.alert_state`);
    await queryRunner.query(`DROP TABLE orders.sla_deadlines`);
    await queryRunner.query(`DROP INDEX orders.order_view_paid_idx`);
    await queryRunner.query(`ALTER TABLE orders.order_view DROP COLUMN delivered_at`);
  }
}
