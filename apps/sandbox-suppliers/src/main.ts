import { ConsoleLogger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadSandboxSuppliersConfig, type SandboxSuppliersConfig } from './sandbox-suppliers.config';

/** JSON lines from the first one, like the services' (one parser for every process's log; no colour codes). */
const logger = new ConsoleLogger('sandbox-suppliers', {
  json: true,
  colors: false,
  logLevels: ['error', 'warn', 'log'],
});

async function main(): Promise<void> {
  let config: SandboxSuppliersConfig;
  try {
    config = loadSandboxSuppliersConfig();
  } catch (error) {
    logger.error(`invalid configuration: ${(error as Error).message}`);
    process.exit(78); // EX_CONFIG
  }
  const app = await NestFactory.create(AppModule.forConfig(config), { logger });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port}, suppliers ${config.supplierIds.join(', ')}`);
}

main().catch((error: unknown) => {
  logger.error(`failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
