import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { EventStore } from '@keyflow/messaging';

import { type OrderEvent } from '../domain/order.events';
import { evolve, initialState, type OrderState } from '../domain/order.state';
import { buildOrderView } from '../domain/order-view';
import { SLA_SETTINGS, type SlaSettings } from '../application/sla-watch/sla-settings';
import { toNewEvent, toOrderEvent } from './order-event-mapping';
import { saveOrderView } from './order-view.projection';
import { syncSlaDeadlines } from './sla-deadlines.repository';

export interface LoadedOrder {
  state: OrderState;
  events: OrderEvent[];
  version: number;
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

  async load(manager: EntityManager, orderId: string): Promise<LoadedOrder> {
    const stored = await this.store.load(manager, orderId);
    const events = stored.map(toOrderEvent);
    return { state: events.reduce(evolve, initialState()), events, version: stored.length };
  }

  /** Appends with optimistic concurrency (a concurrent writer makes this throw) and updates the view. */
  async append(
    manager: EntityManager,
    orderId: string,
    loaded: LoadedOrder,
    newEvents: OrderEvent[],
  ): Promise<void> {
    if (newEvents.length === 0) return;
    await this.store.append(
      manager,
      orderId,
      loaded.version === 0 ? 'no-stream' : loaded.version,
      newEvents.map(toNewEvent),
    );
    const view = buildOrderView([...loaded.events, ...newEvents]);
    if (view) {
      await saveOrderView(manager, view);
      await syncSlaDeadlines(manager, view, this.sla);
    }
  }
}
