import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type OrderDelayedV1 } from '@keyflow/contracts';

import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';
import { lockOrder } from '../infrastructure/order-lock';
import { OrderFactsRepository } from '../infrastructure/order-facts.repository';
import { NotificationRepository } from '../infrastructure/notification.repository';
import { type NotificationContent } from './notification-content';

/**
 * SLA tier 1 (order.delayed.v1): an honest status update to the buyer, once per (order, tier). Higher
 * tiers go to operators (order.escalated.v1, alerts), not to the buyer.
 */
@Injectable()
export class PlanStatusUpdateHandler {
  private readonly logger = new Logger('PlanStatusUpdate');

  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
  ) {}

  async handle(manager: EntityManager, delayed: OrderDelayedV1, noticedAt: string): Promise<void> {
    if (delayed.tier !== 1) return;
    await lockOrder(manager, delayed.orderId);
    if (await this.notifications.goodsSent(manager, delayed.orderId)) {
      this.logger.log(
        `order ${delayed.orderId}: delayed notice after the goods were sent; not telling the buyer`,
      );
      return;
    }
    const content: NotificationContent = {
      kind: 'status',
      tier: delayed.tier,
      stage: delayed.stage,
      paidAt: delayed.paidAt,
      waitingSince: delayed.waitingSince,
      ...(delayed.expectedBy ? { expectedBy: delayed.expectedBy } : {}),
    };
    await this.notifications.insert(manager, {
      orderId: delayed.orderId,
      subject: delayed.orderId,
      recipient: 'buyer',
      purpose: 'status-update',
      dedupeKey: `tier:${delayed.tier}`,
      channels: this.settings.buyerChannels,
      status: (await this.facts.exists(manager, delayed.orderId)) ? 'pending' : 'awaiting-facts',
      eventTime: noticedAt,
      content,
    });
  }
}
