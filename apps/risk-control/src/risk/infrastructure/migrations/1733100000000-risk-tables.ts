import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * risk-control's own tables beside the event store:
 * - order_facts: what order.placed.v1 told us (velocity counts run over it, so it is indexed by buyer);
 * - parked_payments: payments confirmed before their order's facts arrived (Kafka has no cross-topic
 *   order); assessed as soon as the facts come;
 * - assessments: one per order, the outcome and, for manual reviews, the review's state and SLA flag;
 * - audit_queue: pass-first approvals waiting for a later look.
 */
export class RiskTables1733100000000 implements MigrationInterface {
  name = 'RiskTables1733100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE risk.order_facts (
        order_id uuid PRIMARY KEY,
        email text NOT NULL,
        email_domain text NOT NULL,
        payment_channel text NOT NULL,
        amount_minor bigint NOT NULL,
        currency char(3) NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL,
        client_ip text,
        device_id text,
        placed_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`CREATE INDEX order_facts_email_idx ON risk.order_facts (email, placed_at)`);
    await queryRunner.query(
      `CREATE INDEX order_facts_ip_idx ON risk.order_facts (client_ip, placed_at) WHERE client_ip IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX order_facts_device_idx ON risk.order_facts (device_id, placed_at) WHERE device_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE risk.parked_payments (
        order_id uuid PRIMARY KEY,
        payment_confirmed_at timestamptz NOT NULL,
        payment jsonb NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(`
      CREATE TABLE risk.assessments (
        order_id uuid PRIMARY KEY,
        assessment_id uuid NOT NULL UNIQUE,
        outcome text NOT NULL CHECK (outcome IN ('approve', 'review', 'reject')),
        mode text CHECK (mode IN ('rules', 'pass-first')),
        rule text NOT NULL,
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        reason text,
        findings jsonb NOT NULL,
        payment_confirmed_at timestamptz NOT NULL,
        assessed_at timestamptz NOT NULL,
        review_status text CHECK (review_status IN ('pending', 'approved', 'rejected')),
        review_since timestamptz,
        reviewed_at timestamptz,
        reviewed_by text,
        review_reason text,
        overdue_notified_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX assessments_pending_review_idx ON risk.assessments (review_since)
        WHERE review_status = 'pending'`,
    );
    await queryRunner.query(`
      CREATE TABLE risk.audit_queue (
        order_id uuid PRIMARY KEY,
        assessment_id uuid NOT NULL,
        score integer NOT NULL,
        findings jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'audited')),
        queued_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_queue_pending_idx ON risk.audit_queue (queued_at) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE risk.audit_queue`);
    await queryRunner.query(`DROP TABLE risk.assessments`);
    await queryRunner.query(`DROP TABLE risk.parked_payments`);
    await queryRunner.query(`DROP TABLE risk.order_facts`);
  }
}
