import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';
import { type PlannedOperatorNotice } from '../domain/operator-notices';
import { NotificationRepository } from '../infrastructure/notification.repository';

/** One job per configured operator webhook; the same event again maps to the same dedupe key. */
@Injectable()
export class PlanOperatorNoticeHandler {
  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
  ) {}

  async handle(manager: EntityManager, planned: PlannedOperatorNotice): Promise<void> {
    for (const webhook of this.settings.operatorWebhooks) {
      await this.notifications.insert(manager, {
        ...(planned.orderId ? { orderId: planned.orderId } : {}),
        subject: planned.subject,
        recipient: webhook.recipient,
        purpose: 'operator-alert',
        dedupeKey: planned.dedupeKey,
        channels: [webhook.kind],
        status: 'pending',
        eventTime: planned.notice.eventTime,
        content: { kind: 'operator', notice: planned.notice },
      });
    }
  }
}
