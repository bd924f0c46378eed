import { Controller, Get, Header } from '@nestjs/common';

import { metricsRegistry } from '@keyflow/observability';

/** Prometheus scrape endpoint: RED metrics, Kafka consumers, outbox, process. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
