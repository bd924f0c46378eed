import { Injectable, Logger } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type EntityManager } from 'typeorm';

import { returnedRows } from '@keyflow/service-kit';

import { type OrderCommand } from '../domain/order.commands';
import { decide } from '../domain/order.decider';
import { IllegalTransitionError, OrderError } from '../domain/order.errors';
import { type OrderEvent } from '../domain/order.events';
import { type LoadedOrder, OrderRepository } from '../infrastructure/order.repository';

export type CommandOutcome =
  { applied: OrderEvent[] } | { refused: OrderError } | { parked: IllegalTransitionError };

export interface ExecuteOptions {
  /**
   * For stage facts from Kafka: a fact that is illegal only because its predecessor (from another topic)
   * has not arrived yet waits, and is applied when it becomes legal. Never for commands from people.
   */
  parkIfEarly?: boolean;
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
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1)::bigint)`, [`orders.order.${orderId}`]);
    const loaded = await this.orders.load(manager, orderId);
    let events: OrderEvent[];
    try {
      events = decide(command, loaded.state);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      const parkable = options.parkIfEarly && error instanceof IllegalTransitionError;
      this.logger[parkable ? 'warn' : 'error'](
        `${parkable ? 'parked' : 'refused'} ${command.type} for order ${orderId}: ${error.code} ${error.message}`,
      );
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
    await this.orders.append(manager, orderId, loaded, events);
    if (events.length > 0) await this.applyParked(manager, orderId, await this.orders.load(manager, orderId));
    return { applied: events };
  }

  /** Applies parked facts that the order's new state allows, repeatedly, until none moves. */
  private async applyParked(manager: EntityManager, orderId: string, start: LoadedOrder): Promise<void> {
    let loaded = start;
    for (let progressed = true; progressed;) {
      progressed = false;
      const parked = returnedRows<{ id: string; command: OrderCommand }>(
        await manager.query(`SELECT id, command FROM orders.parked_facts WHERE order_id = $1 ORDER BY id`, [
          orderId,
        ]),
      );
      for (const { id, command } of parked) {
        let events: OrderEvent[];
        try {
          events = decide(command, loaded.state);
        } catch (error) {
          if (error instanceof IllegalTransitionError) continue; // still early
          throw error;
        }
        await manager.query(`DELETE FROM orders.parked_facts WHERE id = $1`, [id]);
        if (events.length === 0) continue;
        await this.orders.append(manager, orderId, loaded, events);
        loaded = await this.orders.load(manager, orderId);
        this.logger.log(`applied parked ${command.type} for order ${orderId}`);
        progressed = true;
        break;
      }
    }
  }
}
