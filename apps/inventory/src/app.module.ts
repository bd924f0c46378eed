import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { inventoryConfig } from './inventory.config';
import { InventoryTables1733100000000 } from './stock/infrastructure/migrations/1733100000000-inventory-tables';
import { PendingCommits1733200000000 } from './stock/infrastructure/migrations/1733200000000-pending-commits';
import { StockModule } from './stock/stock.module';

/** inventory: products/SKUs, the encrypted card-key pool, reservations with expiry, supplier SKU routing. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: inventoryConfig(),
      publishes: [Topics.inventory],
      migrations: [InventoryTables1733100000000, PendingCommits1733200000000],
    }),
    StockModule,
  ],
})
export class AppModule {}
