import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';

import { type KafkaSettings } from './kafka-settings';
import { applyRequestQueueIdleFix } from './request-queue-idle-fix';

/**
 * kafkajs is the only Kafka client in the project and has been unmaintained since 2023, so every use of
 * it goes through this folder: the client factory, the producer, the topic provisioner and the consumer.
 * Replacing it later touches these files only.
 */
export function createKafkaClient(settings: KafkaSettings): Kafka {
  // Before the first connection: without it every idle connection spins a 1 ms timer (see the file).
  if (!applyRequestQueueIdleFix()) {
    new Logger('kafkajs').warn('kafkajs is not the release the idle fix was made for: idle CPU may be high');
  }
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10000 },
    logLevel: kafkaLogLevel(process.env.KAFKA_LOG_LEVEL),
    logCreator: nestLogCreator,
  });
}

function kafkaLogLevel(raw: string | undefined): logLevel {
  switch ((raw ?? 'warn').toLowerCase()) {
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'error':
      return logLevel.ERROR;
    case 'nothing':
      return logLevel.NOTHING;
    default:
      return logLevel.WARN;
  }
}

function nestLogCreator() {
  return ({ namespace, level, log }: LogEntry) => {
    const logger = new Logger(`kafkajs:${namespace}`);
    const { message, ...extra } = log;
    const text = Object.keys(extra).length > 0 ? `${message} ${JSON.stringify(extra)}` : message;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else if (level === logLevel.INFO) logger.log(text);
    else logger.debug(text);
  };
}
