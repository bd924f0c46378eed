import { backoffDelay } from '@keyflow/resilience';

import { failoverPlan, mustResolveBefore } from '../domain/failover-plan';
import { SupplierFailure } from '../domain/supplier-failure';
import { type RetryConfig } from '../config/suppliers-config';
import { type PurchaseRequest, type SupplierPurchase } from './supplier-client';

/** What the purchaser needs of a supplier: a guarded purchase, a lookup by key, the breaker's state. */
export interface PurchasableSupplier {
  readonly id: string;
  readonly state: 'closed' | 'half-open' | 'open';
  purchase(request: PurchaseRequest): Promise<SupplierPurchase>;
  findPurchase(idempotencyKey: string): Promise<SupplierPurchase | undefined>;
}

export interface SupplierSwitch {
  from: string;
  to: string;
  reason: string;
}

export type PurchaseOutcome =
  | {
      kind: 'bought';
      supplierId: string;
      purchase: SupplierPurchase;
      switches: SupplierSwitch[];
      /** Suppliers whose unknown outcome was given up on: reconcile them, never deliver from them. */
      abandoned: string[];
    }
  | { kind: 'failed'; reason: string; switches: SupplierSwitch[] };

export interface PurchaseJob extends PurchaseRequest {
  /** Suppliers in failover order, primary first. */
  route: string[];
  /** Suppliers an earlier attempt (or a crashed worker) started buying from: outcome unknown. */
  started: string[];
  /**
   * The order has waited longer than the unknown-outcome limit: a supplier that still cannot say whether
   * it sold no longer blocks the backup. The buyer still gets one set of keys (the backup's); the silent
   * supplier's idempotency key is handed back as `abandoned` for reconciliation.
   */
  abandonUnknownOutcomes?: boolean;
  /**
   * Suppliers an operator took out of rotation: nothing new is bought from them. A purchase already started
   * there is still asked about (and delivered if it sold) — pausing a supplier must not lose a sale.
   */
  outOfRotation?: string[];
}

export interface PurchaseDeps {
  suppliers: ReadonlyMap<string, { supplier: PurchasableSupplier; retry: RetryConfig }>;
  /** Durably notes a supplier before the first call to it, so a crash leaves a trace to ask about. */
  noteStarted: (supplierId: string) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One delivery attempt: the route's suppliers in order, each with bounded retries (backoff with jitter,
 * retryable failures only). A timed-out purchase is asked about (same supplier, same idempotency key)
 * before anyone else is asked to sell, so nothing is bought twice.
 */
export async function purchaseWithFailover(job: PurchaseJob, deps: PurchaseDeps): Promise<PurchaseOutcome> {
  const { sleep = realSleep, random = Math.random } = deps;
  const plan = failoverPlan(job.route, new Set(deps.suppliers.keys()), new Set(job.outOfRotation ?? []));
  const reasons: string[] = [
    ...plan.unknown.map((id) => `${id}: not configured`),
    ...plan.outOfRotation.map((id) => `${id}: out of rotation`),
  ];
  const switches: SupplierSwitch[] = [];
  const unresolved = new Set(job.started.filter((id) => deps.suppliers.has(id)));
  const ask = async (id: string): Promise<SupplierPurchase | undefined> => {
    try {
      const found = await deps.suppliers.get(id)!.supplier.findPurchase(job.idempotencyKey);
      unresolved.delete(id);
      return found;
    } catch {
      return undefined; // still unresolved
    }
  };
  const abandoned = new Set<string>();
  const bought = (supplierId: string, purchase: SupplierPurchase): PurchaseOutcome => ({
    kind: 'bought',
    supplierId,
    purchase,
    switches,
    abandoned: [...abandoned].filter((id) => id !== supplierId),
  });

  let previous: string | undefined;
  for (const id of plan.order) {
    const { supplier, retry } = deps.suppliers.get(id)!;
    const from = previous;
    previous = id;
    // Unknown outcomes (earlier attempts, a crashed worker) are asked about first, this supplier's too:
    // a look-up is cheaper than a repeated purchase and does not rely on the supplier's idempotency.
    for (const other of [...unresolved]) {
      const found = await ask(other);
      if (found) return bought(other, found);
    }
    const blockers = mustResolveBefore(id, unresolved);
    if (blockers.length > 0 && job.abandonUnknownOutcomes) {
      blockers.forEach((blocker) => abandoned.add(blocker));
    } else if (blockers.length > 0) {
      reasons.push(`${id}: not tried, outcome at ${blockers.join(', ')} unknown`);
      continue;
    }
    if (supplier.state === 'open') {
      reasons.push(`${id}: circuit open`);
      continue;
    }
    if (from !== undefined) switches.push({ from, to: id, reason: reasons.at(-1) ?? 'failover' });
    await deps.noteStarted(id);
    for (let call = 1; call <= retry.maxAttempts; call++) {
      try {
        return bought(id, await supplier.purchase(job));
      } catch (error) {
        const failure =
          error instanceof SupplierFailure ? error : new SupplierFailure('unknown-outcome', id, 'error');
        if (failure.kind === 'unknown-outcome') {
          unresolved.add(id);
          const found = await ask(id);
          if (found) return bought(id, found);
        } else if (failure.kind === 'rejected') {
          unresolved.delete(id);
        }
        const last = call === retry.maxAttempts;
        const retryable = failure.kind === 'retryable' || failure.kind === 'unknown-outcome';
        if (last || !retryable) {
          reasons.push(`${id}: ${failure.detail}${call > 1 ? ` after ${call} calls` : ''}`);
          break;
        }
        await sleep(backoffDelay(call, { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs }, random));
      }
    }
  }
  if (plan.order.length === 0 && reasons.length === 0) reasons.push('no suppliers on the route');
  return { kind: 'failed', reason: reasons.join('; '), switches };
}
