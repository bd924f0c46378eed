import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type DeliverySucceededV1 } from '@keyflow/contracts';

import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';
import { lockOrder } from '../infrastructure/order-lock';
import { OrderFactsRepository } from '../infrastructure/order-facts.repository';
import { NotificationRepository } from '../infrastructure/notification.repository';
import { type NotificationContent } from './notification-content';

/**
 * On delivery.succeeded.v1: one goods notification for the buyer (over the configured channel chain) and
 * one for the merchant's webhook. Stored, not sent: the worker sends them. A redelivered event hits the
 * unique key and plans nothing. Before the order's facts are known (orders.v1 is another topic) the jobs
 * wait as awaiting-facts; the order.placed.v1 handler releases them under the same per-order lock.
 */
@Injectable()
export class PlanGoodsHandler {
  constructor(
    private readonly facts: OrderFactsRepository,
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
  ) {}

  /**
   * `resendOf`: an operator's resend request of already delivered keys — one more buyer notification per
   * request (its id is the dedupe key), not to the merchant, since nothing new was sold.
   */
  async handle(manager: EntityManager, delivery: DeliverySucceededV1, resendOf?: string): Promise<void> {
    await lockOrder(manager, delivery.orderId);
    const status = (await this.facts.exists(manager, delivery.orderId)) ? 'pending' : 'awaiting-facts';
    const goods: NotificationContent = {
      kind: 'goods',
      deliveryId: delivery.deliveryId,
      servedBy: delivery.servedBy,
      itemCount: delivery.itemCount,
      deliveredAt: delivery.deliveredAt,
    };
    const common = {
      orderId: delivery.orderId,
      subject: delivery.orderId,
      purpose: resendOf ? ('goods-resend' as const) : ('goods' as const),
      dedupeKey: resendOf ?? 'goods',
      status,
      eventTime: delivery.deliveredAt,
    } as const;
    await this.notifications.insert(manager, {
      ...common,
      recipient: 'buyer',
      channels: this.settings.buyerChannels,
      content: { ...goods, ...(delivery.keys?.length ? { keys: delivery.keys } : {}) },
    });
    if (this.settings.merchantWebhook && !resendOf) {
      await this.notifications.insert(manager, {
        ...common,
        recipient: 'merchant',
        channels: ['webhook'],
        content: goods, // never the keys
      });
    }
  }
}
