import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { OrderReadModels1732400000000 } from './order/infrastructure/migrations/1732400000000-order-read-models';
import { SlaWatch1732500000000 } from './order/infrastructure/migrations/1732500000000-sla-watch';
import { ParkedFacts1732600000000 } from './order/infrastructure/migrations/1732600000000-parked-facts';
import { AdmissionBacklog1732700000000 } from './order/infrastructure/migrations/1732700000000-admission-backlog';
import { DeliveredAtBackfill1732850000000 } from './order/infrastructure/migrations/1732850000000-delivered-at-backfill';
import { OrderModule } from './order/order.module';
import { ordersConfig } from './orders.config';

/** orders: the event-sourced Order, its read models and the checkout/query/operator API. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: ordersConfig(),
      publishes: [Topics.orders, Topics.alerts],
      migrations: [
        OrderReadModels1732400000000,
        SlaWatch1732500000000,
        ParkedFacts1732600000000,
        AdmissionBacklog1732700000000,
        DeliveredAtBackfill1732850000000,
      ],
    }),
    OrderModule,
  ],
})
export class AppModule {}
