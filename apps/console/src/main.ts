import path from 'node:path';

import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';

import { collectProcessMetrics } from '@keyflow/observability';
import { configureHttp } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { type ConsoleConfig, loadConsoleConfig } from './console.config';

/** JSON lines from the first one, like the services' (one parser for every process's log; no colour codes). */
const logger = new ConsoleLogger('console', {
  json: true,
  colors: false,
  logLevels: ['error', 'warn', 'log'],
});

/** Scripts and styles from this origin only; no framing; no Referer (a buyer's URL carries a token). */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

async function main(): Promise<void> {
  let config: ConsoleConfig;
  try {
    config = loadConsoleConfig();
  } catch (error) {
    logger.error(`invalid configuration: ${(error as Error).message}`);
    process.exit(78); // EX_CONFIG
  }
  collectProcessMetrics('console');
  // No body parser: the proxy passes request bodies on untouched (JSON, text/plain key files, CSV).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    logger,
  });
  // The buyer's own address (behind an ingress) is what services limit wrong order links by.
  app.set('trust proxy', config.trustProxy);
  app.use(
    (_request: unknown, response: { setHeader(name: string, value: string): void }, next: () => void) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
      next();
    },
  );
  app.useStaticAssets(path.join(config.appRoot, 'dist', 'web'), { prefix: '/assets/js/', index: false });
  app.useStaticAssets(path.join(config.appRoot, 'public'), { prefix: '/assets/', index: false });
  configureHttp(app, {
    title: 'Keyflow console',
    description:
      'The operator console and buyer status page; `/api/<service>/…` passes requests on to that service ' +
      '(see its own /docs). Errors are RFC 9457 problem details.',
  });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.log(`operator console on http://${config.host}:${config.port}/`);
}

main().catch((error: unknown) => {
  logger.error(`failed to start: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
