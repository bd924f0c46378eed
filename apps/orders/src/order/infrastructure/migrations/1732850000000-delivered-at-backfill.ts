import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Before this, the order view never recorded when an order was delivered: `delivered_at` stayed NULL on every
 * row, so the delay rate counted every paid order late once the late threshold had passed and the average
 * paid → delivered was empty. The projection now sets it from the order's Delivered event; this fills the
 * rows written before, from the same event in the order's own stream (the event store is the truth), in the
 * column and in the view's JSON alike.
 */
export class DeliveredAtBackfill1732850000000 implements MigrationInterface {
  name = 'DeliveredAtBackfill1732850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE orders.order_view v
          SET delivered_at = d.at,
              view = jsonb_set(v.view, '{deliveredAt}', to_jsonb(d.at_text))
         FROM (SELECT DISTINCT ON (stream_id) stream_id, data->>'at' AS at_text, (data->>'at')::timestamptz AS at
                 FROM orders.events WHERE type = 'orders.delivered.v1'
                ORDER BY stream_id, stream_version) d
        WHERE v.order_id::text = d.stream_id AND v.delivered_at IS NULL`,
    );
  }

  /** Nothing to undo: the rows now say what their streams say. */
  async down(): Promise<void> {}
}
