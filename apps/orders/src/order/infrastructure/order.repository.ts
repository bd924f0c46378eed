import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type EventRow, EventStore, STORED_EVENT_COLUMNS, toStoredEvent } from '@keyflow/messaging';

import { type OrderEvent } from '../domain/order.events';
import { evolve, initialState, type OrderState } from '../domain/order.state';
import { buildOrderView, type OrderView } from '../domain/order-view';
import { SLA_SETTINGS, type SlaSettings } from '../application/sla-watch/sla-settings';
import { toNewEvent, toOrderEvent } from './order-event-mapping';
import { saveOrderView, VIEW_PARAMETERS } from './order-view.projection';
import { awaitsDelivery, slaDeadlinesStatement } from './sla-deadlines.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface LoadedOrder {
  state: OrderState;
  events: OrderEvent[];
  version: number;
  /** Facts parked for this order when it was loaded (read under the per-order lock, so exact). */
  parkedFacts: number;
  /** The view as saved by the last append (absent after a load). */
  view?: OrderView;
}

/**
 * The Order stream: state is the fold of its events; saving appends and refreshes the view and the SLA
 * deadlines in one go.
 */
@Injectable()
export class OrderRepository {
  constructor(
    private readonly store: EventStore,
    @Inject(SLA_SETTINGS) private readonly sla: SlaSettings,
  ) {}

  /**
   * The stream and how many facts wait for it, in one round trip (every stage fact loads its order, and
   * only an order with parked facts needs to look at them after a change).
   */
  async load(manager: EntityManager, orderId: string): Promise<LoadedOrder> {
    const rows: Array<EventRow & { parked: number }> = await manager.query(
      `SELECT ${STORED_EVENT_COLUMNS},
              (SELECT count(*) FROM orders.parked_facts WHERE order_id = $2::uuid)::int AS parked
         FROM ${this.store.table} WHERE stream_id = $1 ORDER BY stream_version`,
      // Not a uuid: no such order (and no parked facts), rather than a cast error.
      [orderId, UUID.test(orderId) ? orderId : null],
    );
    const events = rows.map((row) => toOrderEvent(toStoredEvent(row)));
    return {
      state: events.reduce(evolve, initialState()),
      events,
      version: rows.length,
      parkedFacts: rows[0]?.parked ?? 0,
    };
  }

  /**
   * Appends with optimistic concurrency (a concurrent writer makes this throw), updates the view, and
   * returns the order as it is now (no need to load it again).
   */
  async append(
    manager: EntityManager,
    orderId: string,
    loaded: LoadedOrder,
    newEvents: OrderEvent[],
  ): Promise<LoadedOrder> {
    if (newEvents.length === 0) return loaded;
    await this.store.append(
      manager,
      orderId,
      loaded.version === 0 ? 'no-stream' : loaded.version,
      newEvents.map(toNewEvent),
    );
    const events = [...loaded.events, ...newEvents];
    const state = newEvents.reduce(evolve, loaded.state);
    const view = buildOrderView(events);
    if (view) {
      // Deadlines change only when the order starts or stops waiting for delivery (paid; delivered,
      // cancelled, escalated, refunded): most facts leave them as they are. When they change, they go in
      // the view's statement.
      const deadlinesChange = awaitsDelivery(loaded.state) !== awaitsDelivery(state);
      await saveOrderView(
        manager,
        view,
        deadlinesChange ? slaDeadlinesStatement(view, this.sla, VIEW_PARAMETERS + 1) : undefined,
      );
    }
    return {
      state,
      events,
      version: loaded.version + newEvents.length,
      parkedFacts: loaded.parkedFacts,
      ...(view ? { view } : {}),
    };
  }
}
