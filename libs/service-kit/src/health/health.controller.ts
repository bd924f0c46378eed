import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';

import { OutboxRelayLifecycle } from '../messaging/messaging.module';
import { KafkaHealthIndicator } from './kafka-health.indicator';

/**
 * `/health/live`: the process answers (restart it if not). `/health/ready`: Postgres and Kafka answer and
 * migrations ran (the app does not start listening before they have), so it may take traffic.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly outbox: OutboxRelayLifecycle,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      () => this.kafka.isHealthy('kafka'),
      async () => ({ outbox: { status: 'up' as const, relay: this.outbox.relay.currentState } }),
    ]);
  }
}
