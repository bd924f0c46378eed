import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The payments schema's own tables:
 * - payment_intents: one per order; the expected amount, the provider, the durable schedules of the
 *   provider-creation and active-query workers (next_*_at, claimed with FOR UPDATE SKIP LOCKED), and the
 *   trace context of the order's consumer span, so callbacks join the order's trace.
 *   (provider, provider_trade_no) is unique: one provider transaction pays at most one intent.
 * - callbacks: every provider callback as received (headers + raw body) with our verdict and reason.
 * - refunds: one refund job per order, with its idempotency key and retry schedule.
 */
export class PaymentsTables1732400000000 implements MigrationInterface {
  name = 'PaymentsTables1732400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "payments".payment_intents (
        order_id uuid PRIMARY KEY,
        payment_id text NOT NULL UNIQUE,
        provider text NOT NULL CHECK (provider IN ('alipay', 'wechat', 'stripe')),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('pending-creation', 'awaiting-payment', 'paid', 'rejected', 'expired')),
        trace_context jsonb NOT NULL DEFAULT '{}'::jsonb,
        provider_payment_id text,
        cashier_url text,
        creation_attempts integer NOT NULL DEFAULT 0,
        next_creation_at timestamptz,
        last_error text,
        pay_url_ready_at timestamptz,
        query_attempts integer NOT NULL DEFAULT 0,
        next_query_at timestamptz,
        provider_trade_no text,
        paid_at timestamptz,
        confirmed_by text,
        rejection_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX payment_intents_provider_trade_no_unique
         ON "payments".payment_intents (provider, provider_trade_no) WHERE provider_trade_no IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX payment_intents_creation_due_idx ON "payments".payment_intents (next_creation_at)
         WHERE status = 'pending-creation'`,
    );
    await queryRunner.query(
      `CREATE INDEX payment_intents_query_due_idx ON "payments".payment_intents (next_query_at)
         WHERE status = 'awaiting-payment'`,
    );
    await queryRunner.query(`
      CREATE TABLE "payments".callbacks (
        id bigserial PRIMARY KEY,
        provider text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        headers jsonb NOT NULL,
        body text NOT NULL,
        verdict text NOT NULL CHECK (verdict IN ('accepted', 'duplicate', 'ignored', 'rejected')),
        reason text,
        order_id uuid,
        provider_trade_no text
      )`);
    await queryRunner.query(`CREATE INDEX callbacks_order_idx ON "payments".callbacks (order_id)`);
    await queryRunner.query(`
      CREATE TABLE "payments".refunds (
        order_id uuid PRIMARY KEY,
        payment_id text NOT NULL,
        provider text NOT NULL,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        reason text NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('pending', 'refunded', 'refused')),
        trace_context jsonb NOT NULL DEFAULT '{}'::jsonb,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        provider_refund_id text,
        refunded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX refunds_due_idx ON "payments".refunds (next_attempt_at) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "payments".refunds`);
    await queryRunner.query(`DROP TABLE IF EXISTS "payments".callbacks`);
    await queryRunner.query(`DROP TABLE IF EXISTS "payments".payment_intents`);
  }
}
