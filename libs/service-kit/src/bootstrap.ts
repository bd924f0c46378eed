import { Logger, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

import { pipelineCatalog } from '@keyflow/contracts';
import { KafkaEventTransport, RethrowRpcErrorsFilter } from '@keyflow/messaging';
import { collectProcessMetrics, shutdownTracing } from '@keyflow/observability';

import { type ServiceConfig } from './config/service-config';
import { configureHttp } from './http/http-setup';
import { bodyLimitsFromEnv, useBoundedBodyParsers } from './http/body-limits';
import { trustProxyFromEnv } from './http/trust-proxy';

/**
 * Starts one pipeline service: HTTP API, Kafka consumers (one per subscribed topic), outbox relay.
 * Shutdown on SIGTERM/SIGINT stops consuming first, lets in-flight handlers finish, stops the relay,
 * closes connections and flushes spans.
 */
export async function runService(module: Type<unknown>, config: ServiceConfig): Promise<INestApplication> {
  const logger = new Logger(config.service);
  collectProcessMetrics(config.service);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    abortOnError: false,
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(PinoLogger));
  app.set('trust proxy', trustProxyFromEnv());
  useBoundedBodyParsers(app, config.bodyLimits ?? bodyLimitsFromEnv());
  configureHttp(app, {
    title: `Keyflow ${config.service}`,
    description: `The HTTP API of the ${config.service} service. Errors are RFC 9457 problem details.`,
  });
  // After the hooks, exit normally instead of re-raising the signal (Nest's default): a process that dies of
  // SIGTERM runs no exit handlers, so `--cpu-prof` would write no profile and pino could lose its last lines.
  app.enableShutdownHooks([], { useProcessExit: true });

  const transport = new KafkaEventTransport({
    service: config.service,
    schema: config.schema,
    kafka: config.kafka,
    catalog: pipelineCatalog,
    dataSource: () => app.get(DataSource),
  });
  // Deferred so the filter is registered before the handlers are bound.
  const microservice = app.connectMicroservice({ strategy: transport }, { deferInitialization: true });
  microservice.useGlobalFilters(new RethrowRpcErrorsFilter());
  await app.startAllMicroservices();
  await app.listen(config.httpPort, config.httpHost);
  logger.log(`${config.service} listening on http://${config.httpHost}:${config.httpPort}`);

  process.once('exit', () => void shutdownTracing());
  return app;
}

/** For main.ts: start, or log why not and exit non-zero so the supervisor sees the failure. */
export function runServiceOrExit(module: Type<unknown>, config: () => ServiceConfig): void {
  let resolved: ServiceConfig;
  try {
    resolved = config();
  } catch (error) {
    // JSON like every other line, so the log's first line parses too.
    process.stderr.write(
      `${JSON.stringify({ level: 60, time: Date.now(), msg: (error as Error).message })}\n`,
    );
    process.exit(78); // EX_CONFIG
  }
  runService(module, resolved).catch((error: unknown) => {
    // Straight to stderr: Nest buffers its logger until the app is assembled (bufferLogs), and a process that
    // fails before that and exits would otherwise take its only explanation with it.
    process.stderr.write(
      `${JSON.stringify({
        level: 60,
        time: Date.now(),
        service: resolved.service,
        msg: `failed to start: ${(error as Error).stack ?? String(error)}`,
      })}\n`,
    );
    process.exit(1);
  });
}
