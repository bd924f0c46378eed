import { type DynamicModule, type ModuleMetadata, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { type TopicName } from '@keyflow/contracts';

import { ApiKeyGuard } from './auth/api-key.guard';
import { type ServiceConfig } from './config/service-config';
import { DatabaseModule, type DatabaseModuleOptions } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MessagingModule } from './messaging/messaging.module';
import { MetricsModule } from './metrics/metrics.module';
import { WorkersModule } from './workers/workers.module';

export interface ServiceModuleOptions extends DatabaseModuleOptions {
  config: ServiceConfig;
  /** Topics this service publishes its events to (created at start). */
  publishes: TopicName[];
  imports?: ModuleMetadata['imports'];
}

/** What every pipeline service has: its database schema, event store + outbox relay, health endpoints. */
@Module({})
export class ServiceModule {
  static forRoot(options: ServiceModuleOptions): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        DatabaseModule.forService(options.config, options),
        MessagingModule.forService(options.config, options.publishes),
        LoggingModule,
        HealthModule,
        MetricsModule,
        WorkersModule,
        ...(options.imports ?? []),
      ],
      // Operator endpoints are marked with @RequireScope; the guard leaves every other endpoint alone.
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    };
  }
}
