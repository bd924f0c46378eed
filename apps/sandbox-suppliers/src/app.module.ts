import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';

import { HealthController } from './health.controller';
import { SANDBOX_SUPPLIERS_CONFIG, type SandboxSuppliersConfig } from './sandbox-suppliers.config';
import { SandboxSupplierErrorFilter } from './suppliers/sandbox-supplier-error.filter';
import { SupplierFleet } from './suppliers/supplier-fleet';
import { SuppliersController } from './suppliers/suppliers.controller';

/** Stand-in key suppliers (a primary and backups) for the demo, the tests and the benchmarks. */
@Module({})
export class AppModule {
  static forConfig(config: SandboxSuppliersConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [SuppliersController, HealthController],
      providers: [
        { provide: SANDBOX_SUPPLIERS_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: SandboxSupplierErrorFilter },
        SupplierFleet,
      ],
    };
  }
}
