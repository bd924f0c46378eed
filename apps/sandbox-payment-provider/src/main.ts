import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';
import { loadSandboxConfig, type SandboxConfig } from './sandbox.config';

async function main(): Promise<void> {
  let config: SandboxConfig;
  try {
    config = loadSandboxConfig();
  } catch (error) {
    process.stderr.write(`sandbox-payment-provider: invalid configuration: ${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  // rawBody: WeChat Pay v3 requests are signed over the exact body text.
  const app = await NestFactory.create(AppModule.forConfig(config), { rawBody: true });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  new Logger('sandbox-payment-provider').log(
    `listening on http://${config.host}:${config.port}, keys in ${config.keysDir}`,
  );
}

main().catch((error: unknown) => {
  new Logger('sandbox-payment-provider').error(`failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
