import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { notificationConfig } from './notification.config';
import { NotificationTables1734100000000 } from './notify/infrastructure/migrations/1734100000000-notification-tables';
import { NotificationTraceContext1734200000000 } from './notify/infrastructure/migrations/1734200000000-notification-trace-context';
import { NotifyModule } from './notify/notify.module';

/** notification: notifications per channel, templates and channel fallback. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: notificationConfig(),
      publishes: [Topics.notifications],
      migrations: [NotificationTables1734100000000, NotificationTraceContext1734200000000],
    }),
    NotifyModule,
  ],
})
export class AppModule {}
