import { Module } from '@nestjs/common';

import { ChannelDispatcher } from './application/channel-dispatcher';
import { PlanGoodsHandler } from './application/plan-goods.handler';
import { PlanOperatorNoticeHandler } from './application/plan-operator-notice.handler';
import { PlanStatusUpdateHandler } from './application/plan-status-update.handler';
import { RecordOrderFactsHandler } from './application/record-order-facts.handler';
import { SendNotificationsWorker } from './application/send-notifications.worker';
import { loadNotificationSettings, NOTIFICATION_SETTINGS } from './config/notification-settings';
import { EmailSender } from './infrastructure/email-sender';
import { NotificationEvents } from './infrastructure/notification-events';
import { NotificationQuery } from './infrastructure/notification-query';
import { NotificationRepository } from './infrastructure/notification.repository';
import { OrderFactsRepository } from './infrastructure/order-facts.repository';
import { WebhookPoster } from './infrastructure/webhook-poster';
import { DeliveryEventsConsumer } from './interface/delivery-events.consumer';
import { NotificationsController } from './interface/notifications.controller';
import { OperatorEventsConsumer } from './interface/operator-events.consumer';
import { OrderEventsConsumer } from './interface/order-events.consumer';

/** Buyer, merchant and operator notifications: durable jobs, channel fallback, honest late notices. */
@Module({
  controllers: [OrderEventsConsumer, DeliveryEventsConsumer, OperatorEventsConsumer, NotificationsController],
  providers: [
    { provide: NOTIFICATION_SETTINGS, useFactory: () => loadNotificationSettings() },
    OrderFactsRepository,
    NotificationRepository,
    NotificationQuery,
    NotificationEvents,
    EmailSender,
    WebhookPoster,
    ChannelDispatcher,
    RecordOrderFactsHandler,
    PlanGoodsHandler,
    PlanStatusUpdateHandler,
    PlanOperatorNoticeHandler,
    SendNotificationsWorker,
  ],
})
export class NotifyModule {}
