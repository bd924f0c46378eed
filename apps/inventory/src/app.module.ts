import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { inventoryConfig } from './inventory.config';

/** inventory: products/SKUs, the encrypted card-key pool, reservations with expiry, supplier SKU routing. */
@Module({
  imports: [ServiceModule.forRoot({ config: inventoryConfig(), publishes: [Topics.inventory] })],
})
export class AppModule {}
