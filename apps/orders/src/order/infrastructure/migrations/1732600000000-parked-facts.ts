import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Stage facts that arrived before the fact they follow. Each service publishes on its own topic, and Kafka
 * orders messages only within a topic: risk-control's approval can reach orders before payment-callback's
 * confirmation that caused it. Such a fact waits here and is applied as soon as it becomes legal.
 */
export class ParkedFacts1732600000000 implements MigrationInterface {
  name = 'ParkedFacts1732600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders.parked_facts (
        id bigserial PRIMARY KEY,
        order_id uuid NOT NULL,
        command jsonb NOT NULL,
        reason text NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX parked_facts_order_idx ON orders.parked_facts (order_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE orders.parked_facts`);
  }
}
