import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../../config/delivery-settings';
import { type RetryConfig, type SupplierConfig } from '../../config/suppliers-config';
import { type SupplierClient } from '../../application/supplier-client';
import { supplierBreakerState, supplierBreakerTransitions } from './breaker-metrics';
import { type BreakerState, GuardedSupplier } from './guarded-supplier';
import { HttpJsonSupplier } from './http-json-supplier';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Adapter classes by configured kind: a new supplier API is one entry here plus its class. */
const ADAPTERS: Record<SupplierConfig['kind'], (config: SupplierConfig) => SupplierClient> = {
  'http-json': (config) => new HttpJsonSupplier(config.id, config.baseUrl),
};

/** Every configured supplier behind its breaker, made once at start and shared by all workers. */
@Injectable()
export class SupplierRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Suppliers');
  readonly entries: ReadonlyMap<string, { supplier: GuardedSupplier; retry: RetryConfig }>;

  constructor(@Inject(DELIVERY_SETTINGS) settings: DeliverySettings) {
    const onChange = (supplier: string, state: BreakerState) => {
      const log = state === 'open' ? 'warn' : 'log';
      this.logger[log](`supplier ${supplier}: circuit ${state}`);
      supplierBreakerState.set({ supplier }, STATE_VALUE[state]);
      supplierBreakerTransitions.inc({ supplier, state });
    };
    this.entries = new Map(
      settings.suppliers.map((config) => {
        supplierBreakerState.set({ supplier: config.id }, 0);
        const supplier = new GuardedSupplier(ADAPTERS[config.kind](config), config.breaker, onChange);
        return [config.id, { supplier, retry: config.retry }];
      }),
    );
    if (this.entries.size === 0) this.logger.warn('no suppliers configured (DELIVERY_SUPPLIERS)');
  }

  /** Breaker states for operators (GET /v1/suppliers). */
  states(): Array<{ supplier: string; state: BreakerState }> {
    return [...this.entries.values()].map(({ supplier }) => ({
      supplier: supplier.id,
      state: supplier.state,
    }));
  }

  onApplicationShutdown(): void {
    for (const { supplier } of this.entries.values()) supplier.shutdown();
  }
}
