import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

import { assertSchemaName } from '@keyflow/messaging';

/**
 * Initializes the service's DataSource: creates its schema and runs pending migrations while holding a
 * Postgres advisory lock, so several instances starting at once migrate exactly once. Schema changes
 * only ever come from migrations; `synchronize` is never on.
 */
export async function prepareDataSource(
  options: DataSourceOptions & { schema: string },
): Promise<DataSource> {
  const logger = new Logger('Database');
  const schema = assertSchemaName(options.schema);
  const dataSource = new DataSource({ ...options, synchronize: false, migrationsRun: false });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1)::bigint)', [`keyflow.migrations.${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0)
      logger.log(`${schema}: applied migrations ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1)::bigint)', [`keyflow.migrations.${schema}`])
      .catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
