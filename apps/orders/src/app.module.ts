import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { ordersConfig } from './orders.config';

/** orders: the event-sourced Order, its read models and the checkout/query/operator API (issue 3). */
@Module({
  imports: [ServiceModule.forRoot({ config: ordersConfig(), publishes: [Topics.orders] })],
})
export class AppModule {}
