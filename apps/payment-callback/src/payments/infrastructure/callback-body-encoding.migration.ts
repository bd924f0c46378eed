import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * callbacks.body_encoding: how `body` holds what arrived. 'utf8' is the text as sent; 'base64' holds the
 * exact bytes of a body Postgres text cannot (a NUL byte, bytes that are not UTF-8), so a hostile callback
 * is still recorded instead of failing its own refusal.
 */
export class CallbackBodyEncoding1764201600000 implements MigrationInterface {
  name = 'CallbackBodyEncoding1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "payments".callbacks ADD COLUMN body_encoding text NOT NULL DEFAULT 'utf8'
        CHECK (body_encoding IN ('utf8', 'base64'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "payments".callbacks DROP COLUMN IF EXISTS body_encoding`);
  }
}
