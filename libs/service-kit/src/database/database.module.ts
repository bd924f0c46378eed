import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DataSourceOptions, type MigrationInterface } from 'typeorm';

import { messagingTablesMigration } from '@keyflow/messaging';

import { type ServiceConfig } from '../config/service-config';
import { prepareDataSource } from './prepare-data-source';

export interface DatabaseModuleOptions {
  /** The service's own migrations; the messaging spine's tables are added first. */
  migrations?: Array<new () => MigrationInterface>;
}

/** TypeORM on the service's own schema, migrated at start. */
@Module({})
export class DatabaseModule {
  static forService(config: ServiceConfig, options: DatabaseModuleOptions = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config, options),
          dataSourceFactory: async (dataSourceOptions) =>
            prepareDataSource(dataSourceOptions as DataSourceOptions & { schema: string }),
        }),
      ],
    };
  }
}

export function dataSourceOptions(
  config: ServiceConfig,
  options: DatabaseModuleOptions = {},
): DataSourceOptions & { schema: string; autoLoadEntities: boolean } {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    schema: config.schema,
    applicationName: config.service,
    migrationsTableName: 'migrations',
    migrations: [messagingTablesMigration(config.schema), ...(options.migrations ?? [])],
    synchronize: false,
    autoLoadEntities: true,
    extra: { max: config.databasePoolSize },
  };
}
