import { Injectable, Logger } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type EntityManager } from 'typeorm';

import { lockOrder } from '@keyflow/messaging';
import { returnedRows } from '@keyflow/service-kit';

import { type OrderCommand } from '../domain/order.commands';
import { decide } from '../domain/order.decider';
import { IllegalTransitionError, OrderError } from '../domain/order.errors';
import { type OrderEvent } from '../domain/order.events';
import { stageObservations } from '../domain/stage-observations';
import { recordStageObservations } from '../infrastructure/order-metrics';
import { type LoadedOrder, OrderRepository } from '../infrastructure/order.repository';

export type CommandOutcome =
  { applied: OrderEvent[] } | { refused: OrderError } | { parked: IllegalTransitionError };

export interface ExecuteOptions {
  /**
   * For stage facts from Kafka: a fact that is illegal only because its predecessor (from another topic)
   * has not arrived yet waits, and is applied when it becomes legal. Never for commands from people.
   */
  parkIfEarly?: boolean;
  /** Runs work once the caller's transaction has committed (the Kafka context's afterCommit). */
  afterCommit?: (fn: () => void) => void;
}

/**
 * Load → decide → append, on the caller's transaction, under a per-order lock (facts for one order arrive
 * on several topics at once). A fact the order refuses is never applied: it is logged and, if it came from
 * Kafka, parked until it becomes legal (or forever, visibly, if it never does). After every change, parked
 * facts are tried again in arrival order.
 */
@Injectable()
export class ExecuteOrderCommand {
  private readonly logger = new Logger('Order');

  constructor(private readonly orders: OrderRepository) {}

  async execute(
    manager: EntityManager,
    orderId: string,
    command: OrderCommand,
    options: ExecuteOptions = {},
  ): Promise<CommandOutcome> {
    // The shared per-order lock (orders' schema as scope): orders' consumers take it up front for every
    // order of a batch, so under a consumer this is a lock the transaction already holds.
    await lockOrder(manager, 'orders', orderId);
    const loaded = await this.orders.load(manager, orderId);
    let events: OrderEvent[];
    try {
      events = decide(command, loaded.state);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      const parkable = options.parkIfEarly && error instanceof IllegalTransitionError;
      // Parking is normal under load (each topic is consumed at its own pace): debug, not a warning.
      const message = `${parkable ? 'parked' : 'refused'} ${command.type} for order ${orderId}: ${error.code} ${error.message}`;
      if (parkable) this.logger.debug(message);
      else this.logger.error(message);
      trace.getActiveSpan()?.addEvent(parkable ? 'order fact parked' : 'order command refused', {
        'order.id': orderId,
        code: error.code,
      });
      if (!parkable) return { refused: error };
      await manager.query(`INSERT INTO orders.parked_facts (order_id, command, reason) VALUES ($1, $2, $3)`, [
        orderId,
        JSON.stringify(command),
        error.message,
      ]);
      return { parked: error };
    }
    const updated = await this.orders.append(manager, orderId, loaded, events);
    observeStages(events, updated, options);
    // Only an order that has parked facts (counted when it was loaded, under the lock) looks at them.
    if (events.length > 0 && loaded.parkedFacts > 0)
      await this.applyParked(manager, orderId, updated, options);
    return { applied: events };
  }

  /** Applies parked facts that the order's new state allows, repeatedly, until none moves. */
  private async applyParked(
    manager: EntityManager,
    orderId: string,
    start: LoadedOrder,
    options: ExecuteOptions,
  ): Promise<void> {
    let loaded = start;
    const waiting = returnedRows<{ id: string; command: OrderCommand }>(
      await manager.query(`SELECT id, command FROM orders.parked_facts WHERE order_id = $1 ORDER BY id`, [
        orderId,
      ]),
    );
    // We hold the order's lock, so the list cannot change under us: try it again after each change.
    for (let progressed = true; progressed;) {
      progressed = false;
      for (const [index, { id, command }] of waiting.entries()) {
        let events: OrderEvent[];
        try {
          events = decide(command, loaded.state);
        } catch (error) {
          if (error instanceof IllegalTransitionError) continue; // still early
          throw error;
        }
        await manager.query(`DELETE FROM orders.parked_facts WHERE id = $1`, [id]);
        waiting.splice(index, 1);
        loaded = await this.orders.append(manager, orderId, loaded, events);
        observeStages(events, loaded, options);
        if (events.length > 0) this.logger.log(`applied parked ${command.type} for order ${orderId}`);
        progressed = true;
        break;
      }
    }
  }
}

/**
 * Per-stage latency for /metrics, from the events this call appended (never a known fact again, so once
 * per order and stage), recorded only once the transaction has committed: a rolled-back batch that is
 * retried observes nothing twice.
 */
function observeStages(events: OrderEvent[], updated: LoadedOrder, options: ExecuteOptions): void {
  if (!options.afterCommit || events.length === 0 || !updated.view) return;
  const observed = stageObservations(events, updated.view);
  if (observed.stages.length === 0 && observed.paidToDeliveredSeconds === undefined) return;
  options.afterCommit(() => recordStageObservations(observed));
}
