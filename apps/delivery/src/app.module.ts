import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { DeliveriesModule } from './deliveries/deliveries.module';
import { AbandonedPurchases1734200000000 } from './deliveries/infrastructure/migrations/1734200000000-abandoned-purchases';
import { AbandonedPurchaseReconciliation1734500000000 } from './deliveries/infrastructure/migrations/1734500000000-abandoned-purchase-reconciliation';
import { DeliveryTables1734100000000 } from './deliveries/infrastructure/migrations/1734100000000-delivery-tables';
import { JobTraceContext1734300000000 } from './deliveries/infrastructure/migrations/1734300000000-job-trace-context';
import { SupplierRotation1734400000000 } from './deliveries/infrastructure/migrations/1734400000000-supplier-rotation';
import { deliveryConfig } from './delivery.config';

/** delivery: deliveries, supplier calls behind circuit breakers with failover, and manual re-delivery. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: deliveryConfig(),
      publishes: [Topics.delivery],
      migrations: [
        DeliveryTables1734100000000,
        AbandonedPurchases1734200000000,
        JobTraceContext1734300000000,
        SupplierRotation1734400000000,
        AbandonedPurchaseReconciliation1734500000000,
      ],
    }),
    DeliveriesModule,
  ],
})
export class AppModule {}
