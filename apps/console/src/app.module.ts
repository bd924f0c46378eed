import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

import { MetricsModule } from '@keyflow/service-kit';

import { CONSOLE_CONFIG, type ConsoleConfig } from './console.config';
import { UpstreamClient } from './console/infrastructure/upstream-client';
import { BuyerController } from './console/interface/buyer.controller';
import { PagesController } from './console/interface/pages.controller';
import { ProxyController } from './console/interface/proxy.controller';

/** console: the operators' screen and the buyers' status page, a thin layer over the services' APIs. */
@Module({})
export class AppModule {
  static forConfig(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      // Buyers' status page: per client address (the services behind limit per order).
      // /metrics like every service (process and HTTP metrics), before the proxy's catch-all routes.
      imports: [
        MetricsModule,
        ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 60 }] }),
      ],
      // Buyer routes before the generic proxy, so /api/buyer/... is never taken for a service name.
      controllers: [PagesController, BuyerController, ProxyController],
      providers: [{ provide: CONSOLE_CONFIG, useValue: config }, UpstreamClient],
    };
  }
}
