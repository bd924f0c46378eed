import { trace } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';

import { type BreakerConfig } from '../../config/suppliers-config';
import { countsAgainstBreaker, SupplierFailure } from '../../domain/supplier-failure';
import {
  type PurchaseRequest,
  type SupplierClient,
  type SupplierPurchase,
} from '../../application/supplier-client';
import { supplierCalls } from './breaker-metrics';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** Told of every state change (logging, metrics); span events are added here. */
export type BreakerListener = (supplierId: string, state: BreakerState) => void;

/**
 * A supplier behind its own circuit breaker, made once per supplier at start (never per request, or the
 * breaker would never see enough calls to open). Cache and coalescing stay off: two orders are never the
 * same purchase. Every call gets its own AbortController, aborted when the breaker times it out, so a
 * hanging supplier does not keep sockets (and one order's abort never cancels another's request).
 */
export class GuardedSupplier {
  private readonly breaker: CircuitBreaker<[PurchaseRequest, AbortSignal], SupplierPurchase>;

  constructor(
    readonly client: SupplierClient,
    readonly config: BreakerConfig,
    listener: BreakerListener = () => undefined,
  ) {
    // @types/opossum (8.x) predates opossum 10's `coalesce` option; it is spelled out to keep it off.
    const options: CircuitBreaker.Options<[PurchaseRequest, AbortSignal]> & { coalesce: boolean } = {
      name: client.id,
      timeout: config.timeoutMs,
      errorThresholdPercentage: config.errorThresholdPercentage,
      volumeThreshold: config.volumeThreshold,
      resetTimeout: config.resetTimeoutMs,
      rollingCountTimeout: config.rollingCountTimeoutMs,
      cache: false,
      coalesce: false,
      // A refusal for good (unknown SKU) says nothing about the supplier's health.
      errorFilter: (error: unknown) => !countsAgainstBreaker(error),
    };
    this.breaker = new CircuitBreaker((request, signal) => client.purchase(request, signal), options);
    const changed = (state: BreakerState) => () => {
      trace.getActiveSpan()?.addEvent('supplier.breaker.state', { supplier: client.id, state });
      listener(client.id, state);
    };
    this.breaker.on('open', changed('open'));
    this.breaker.on('halfOpen', changed('half-open'));
    this.breaker.on('close', changed('closed'));
  }

  get id(): string {
    return this.client.id;
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Buys through the breaker; every failure comes out as a SupplierFailure of the right kind. */
  async purchase(request: PurchaseRequest): Promise<SupplierPurchase> {
    try {
      const purchase = await this.fire(request);
      supplierCalls.inc({ supplier: this.id, outcome: 'ok' });
      return purchase;
    } catch (error) {
      supplierCalls.inc({ supplier: this.id, outcome: (error as SupplierFailure).kind });
      throw error;
    }
  }

  private async fire(request: PurchaseRequest): Promise<SupplierPurchase> {
    const controller = new AbortController();
    try {
      return await this.breaker.fire(request, controller.signal);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ETIMEDOUT') {
        // opossum stops waiting but does not cancel: abort this call's own request.
        controller.abort();
        throw new SupplierFailure('unknown-outcome', this.id, `no answer within ${this.config.timeoutMs} ms`);
      }
      if (code === 'EOPENBREAKER') throw new SupplierFailure('breaker-open', this.id, 'circuit open');
      if (error instanceof SupplierFailure) throw error;
      throw new SupplierFailure('unknown-outcome', this.id, 'unexpected client error');
    }
  }

  /**
   * Asks for an earlier purchase by idempotency key, outside the breaker: an open circuit must not stop
   * delivery from learning that it already bought. Bounded by the breaker's timeout all the same.
   */
  findPurchase(idempotencyKey: string): Promise<SupplierPurchase | undefined> {
    return this.client.findPurchase(idempotencyKey, AbortSignal.timeout(this.config.timeoutMs));
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
