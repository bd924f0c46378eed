import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type Admin } from 'kafkajs';

import { createKafkaClient } from '@keyflow/messaging';

import { type ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../messaging/messaging.module';

/** Ready only when a broker answers a metadata request. */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin?: Admin;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka') {
    const indicator = this.health.check(key);
    try {
      this.admin ??= createKafkaClient({
        ...this.config.kafka,
        clientId: `${this.config.service}-health`,
      }).admin();
      await this.admin.connect();
      const cluster = await withTimeout(this.admin.describeCluster(), 3000);
      return indicator.up({ brokers: cluster.brokers.length });
    } catch (error) {
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
      return indicator.down({ message: (error as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}
