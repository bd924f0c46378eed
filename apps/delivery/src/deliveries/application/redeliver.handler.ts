import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-settings';
import { DeliveryError } from '../domain/delivery.errors';
import { DeliveryJobRepository } from '../infrastructure/delivery-job.repository';
import { DeliveryRepository } from '../infrastructure/delivery.repository';
import { RedeliveryRequestRepository } from '../infrastructure/redelivery-request.repository';
import { DeliveredKeys } from './delivered-keys';
import { DeliveryEvents } from './delivery-events';

export interface RedeliveryAnswer {
  orderId: string;
  /** resend: the delivered keys go to the buyer again; retry: the failed job is queued again. */
  action: 'resend' | 'retry';
  /** false when this click was folded into an earlier request (a click storm is one request). */
  accepted: boolean;
  requestId: string;
  deliveryId: string;
}

/**
 * Manual re-delivery. It never buys and never picks keys: a delivered order's resend refers to the keys
 * already stored for its one delivery; a failed order's retry puts the same job (same idempotency key,
 * same delivery id) back in the queue. Requests for one order are serialised by an advisory lock, and
 * repeats within DELIVERY_RESEND_WINDOW_MS are answered with the first request.
 */
@Injectable()
export class RedeliverHandler {
  private readonly logger = new Logger('Redeliver');

  constructor(
    private readonly jobs: DeliveryJobRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly requests: RedeliveryRequestRepository,
    private readonly events: DeliveryEvents,
    private readonly keys: DeliveredKeys,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {}

  async handle(manager: EntityManager, orderId: string, operator: string): Promise<RedeliveryAnswer> {
    await this.requests.lockOrder(manager, orderId);
    const delivery = await this.deliveries.findByOrder(manager, orderId);
    const job = await this.jobs.find(manager, orderId);
    if (!delivery && !job) throw new DeliveryError('DELIVERY.NOT_FOUND', `order ${orderId} has no delivery`);
    const deliveryId = delivery?.deliveryId ?? job!.deliveryId;
    const action = delivery ? 'resend' : 'retry';
    const earlier = await this.requests.latestSince(manager, orderId, this.settings.resendWindowMs);
    // A click storm is one request: within the window every further click is answered with the first
    // request — even when the retried delivery completed meanwhile (a click then is not a second send).
    if (earlier) {
      return { orderId, action: earlier.action, accepted: false, requestId: earlier.requestId, deliveryId };
    }
    if (action === 'retry' && job!.status !== 'failed')
      throw new DeliveryError(
        'DELIVERY.NOT_REDELIVERABLE',
        `order ${orderId}: delivery is ${job!.status}, not failed`,
      );
    const request = await this.requests.insert(manager, {
      requestId: randomUUID(),
      orderId,
      action,
      requestedBy: operator,
    });
    if (action === 'retry') await this.jobs.requeueFailed(manager, orderId);
    else
      // The very same keys, decrypted in memory and sealed again for notification only.
      await this.events.resendRequested(manager, {
        orderId,
        deliveryId,
        requestId: request.requestId,
        requestedAt: new Date().toISOString(),
        keys: await this.keys.sealForNotification(await this.keys.ofDelivery(manager, deliveryId)),
      });
    this.logger.log(`order ${orderId}: ${action} requested by ${operator}`);
    return { orderId, action, accepted: true, requestId: request.requestId, deliveryId };
  }
}
