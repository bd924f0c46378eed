import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadSandboxSuppliersConfig, type SandboxSuppliersConfig } from './sandbox-suppliers.config';

async function main(): Promise<void> {
  let config: SandboxSuppliersConfig;
  try {
    config = loadSandboxSuppliersConfig();
  } catch (error) {
    process.stderr.write(`sandbox-suppliers: invalid configuration: ${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const app = await NestFactory.create(AppModule.forConfig(config), { logger: ['error', 'warn', 'log'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('sandbox-suppliers').log(
    `listening on http://${config.host}:${config.port}, suppliers ${config.supplierIds.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  new Logger('sandbox-suppliers').error(`failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
