import { type DataSource } from 'typeorm';

import { type EventStore } from '@keyflow/messaging';

import { buildOrderView } from '../domain/order-view';
import { toOrderEvent } from './order-event-mapping';
import { saveOrderView } from './order-view.projection';

/**
 * Rebuilds the order views from the event store alone: drops them and replays every Order stream, in one
 * transaction so readers see either the old views or the rebuilt ones. Run it after changing the
 * projection: `node apps/orders/dist/rebuild-read-models.js`.
 */
export async function rebuildOrderViews(dataSource: DataSource, store: EventStore): Promise<number> {
  return dataSource.transaction(async (manager) => {
    await manager.query('LOCK TABLE orders.order_view IN EXCLUSIVE MODE');
    await manager.query('DELETE FROM orders.order_view');
    const streams: Array<{ stream_id: string }> = await manager.query(
      `SELECT stream_id FROM orders.events WHERE type = 'order.placed.v1' ORDER BY global_position`,
    );
    for (const { stream_id } of streams) {
      const view = buildOrderView((await store.load(manager, stream_id)).map(toOrderEvent));
      if (view) await saveOrderView(manager, view);
    }
    return streams.length;
  });
}
