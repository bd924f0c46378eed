import { Injectable, Logger } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { type EntityManager } from 'typeorm';

import { type OrderCommand } from '../domain/order.commands';
import { decide } from '../domain/order.decider';
import { IllegalTransitionError, OrderError } from '../domain/order.errors';
import { type OrderEvent } from '../domain/order.events';
import { OrderRepository } from '../infrastructure/order.repository';

export type CommandOutcome = { applied: OrderEvent[] } | { refused: OrderError };

/**
 * Load → decide → append, on the caller's transaction. A command the order refuses (an illegal transition,
 * a payment for the wrong amount) is logged and reported, never applied, and never retried: retrying a
 * fact that cannot happen would only park the partition.
 */
@Injectable()
export class ExecuteOrderCommand {
  private readonly logger = new Logger('Order');

  constructor(private readonly orders: OrderRepository) {}

  async execute(manager: EntityManager, orderId: string, command: OrderCommand): Promise<CommandOutcome> {
    const loaded = await this.orders.load(manager, orderId);
    let events: OrderEvent[];
    try {
      events = decide(command, loaded.state);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      const level = error instanceof IllegalTransitionError ? 'warn' : 'error';
      this.logger[level](`refused ${command.type} for order ${orderId}: ${error.code} ${error.message}`);
      trace.getActiveSpan()?.addEvent('order command refused', { 'order.id': orderId, code: error.code });
      return { refused: error };
    }
    await this.orders.append(manager, orderId, loaded, events);
    return { applied: events };
  }
}
