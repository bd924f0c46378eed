import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { deliveryConfig } from './delivery.config';

/** delivery: deliveries, supplier calls behind circuit breakers with failover, and manual re-delivery. */
@Module({
  imports: [ServiceModule.forRoot({ config: deliveryConfig(), publishes: [Topics.delivery] })],
})
export class AppModule {}
