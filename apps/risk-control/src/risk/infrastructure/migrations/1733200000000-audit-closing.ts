import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Audits are closed by a person: confirmed (the pass-first approval stands) or reversed (the order is
 * refunded or its keys revoked). Who, when and why are kept with the audit.
 */
export class AuditClosing1733200000000 implements MigrationInterface {
  name = 'AuditClosing1733200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE risk.audit_queue
        DROP CONSTRAINT IF EXISTS audit_queue_status_check,
        ADD CONSTRAINT audit_queue_status_check
          CHECK (status IN ('pending', 'audited', 'confirmed', 'reversed')),
        ADD COLUMN closed_by text,
        ADD COLUMN closed_at timestamptz,
        ADD COLUMN close_reason text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE risk.audit_queue
        DROP COLUMN close_reason, DROP COLUMN closed_at, DROP COLUMN closed_by,
        DROP CONSTRAINT audit_queue_status_check,
        ADD CONSTRAINT audit_queue_status_check CHECK (status IN ('pending', 'audited'))`);
  }
}
