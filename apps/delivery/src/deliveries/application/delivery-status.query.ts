import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { DeliveryError } from '../domain/delivery.errors';
import { DeliveryJobRepository } from '../infrastructure/delivery-job.repository';
import { DeliveryRepository } from '../infrastructure/delivery.repository';
import { RedeliveryRequestRepository } from '../infrastructure/redelivery-request.repository';

/** An order's delivery for operators: status, attempts, supplier switches, re-delivery requests. No keys. */
@Injectable()
export class DeliveryStatusQuery {
  constructor(
    private readonly jobs: DeliveryJobRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly requests: RedeliveryRequestRepository,
  ) {}

  async get(manager: EntityManager, orderId: string) {
    const [delivery, job, redeliveries] = await Promise.all([
      this.deliveries.findByOrder(manager, orderId),
      this.jobs.find(manager, orderId),
      this.requests.listFor(manager, orderId),
    ]);
    if (!delivery && !job) throw new DeliveryError('DELIVERY.NOT_FOUND', `order ${orderId} has no delivery`);
    return {
      orderId,
      deliveryId: delivery?.deliveryId ?? job!.deliveryId,
      status: delivery ? 'delivered' : job!.status,
      source: delivery?.source ?? 'supplier',
      servedBy: delivery?.servedBy ?? null,
      itemCount: delivery?.itemCount ?? job!.quantity,
      deliveredAt: delivery?.deliveredAt ?? null,
      attempts: job?.attempts ?? delivery!.attempts,
      route: job?.route ?? [],
      supplierSwitches: job?.switches ?? [],
      lastError: job?.lastError ?? null,
      nextAttemptAt: job && job.status === 'pending' ? job.nextAttemptAt : null,
      requeues: job?.requeues ?? 0,
      redeliveries,
    };
  }
}
