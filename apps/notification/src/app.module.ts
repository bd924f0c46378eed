import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { notificationConfig } from './notification.config';

/** notification: notifications per channel, templates and channel fallback. */
@Module({
  imports: [ServiceModule.forRoot({ config: notificationConfig(), publishes: [Topics.notifications] })],
})
export class AppModule {}
