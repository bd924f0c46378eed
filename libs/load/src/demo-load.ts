import { DEMO_PRODUCTS, seedCatalog } from './driver/demo-catalog';
import { setPaymentFaults, setSupplierFaults } from './driver/sandbox-faults';
import { type LoadRunResult, runLoad } from './load-run';
import type { Stack } from './stack/stack';

export interface DemoLoadOptions {
  orders: number;
  rate: number;
  operatorKey: string;
  progress?: boolean;
}

/**
 * The main job's demo: a few hundred orders at a steady rate; a tenth of the payments' callbacks never
 * arrive (the active query must find them); the primary supplier goes down once a third of the orders are
 * delivered and comes back at two thirds (the breaker opens, orders switch to the backup, then return).
 */
export async function runDemoLoad(stack: Stack, options: DemoLoadOptions): Promise<LoadRunResult> {
  const suppliersUrl = stack.url('sandbox-suppliers');
  const sandboxUrl = stack.url('sandbox-payment-provider');
  const poolShare = DEMO_PRODUCTS.filter((p) => p.source === 'pool').length / DEMO_PRODUCTS.length;
  await seedCatalog(
    {
      ordersUrl: stack.url('orders'),
      inventoryUrl: stack.url('inventory'),
      operatorKey: options.operatorKey,
    },
    Math.ceil(options.orders * poolShare) + 20,
  );
  await setSupplierFaults(suppliersUrl, 'primary', { recover: true });
  try {
    return await runLoad({
      endpoints: {
        ordersUrl: stack.url('orders'),
        sandboxUrl,
        deliveryUrl: stack.url('delivery'),
        operatorKey: options.operatorKey,
      },
      orders: options.orders,
      rateAt: () => options.rate,
      progress: options.progress,
      drainTimeoutMs: 180_000,
      // The late threshold orders judges by (SLA tier 1), so the report compares like with like.
      lateAfterSeconds: Number(process.env.SLA_TIER1_SECONDS) || 300,
      faults: [
        {
          when: () => true,
          label: '10% of payment callbacks lost',
          apply: () => setPaymentFaults(sandboxUrl, { dropCallbackRate: 0.1 }),
        },
        {
          when: (p) => p.delivered >= options.orders / 3,
          label: 'primary supplier down',
          apply: () => setSupplierFaults(suppliersUrl, 'primary', { outage: true }),
        },
        {
          when: (p) => p.delivered >= (options.orders * 2) / 3,
          label: 'primary supplier back',
          apply: () => setSupplierFaults(suppliersUrl, 'primary', { recover: true }),
        },
      ],
    });
  } finally {
    await setPaymentFaults(sandboxUrl, {}).catch(() => undefined);
    await setSupplierFaults(suppliersUrl, 'primary', { recover: true }).catch(() => undefined);
  }
}
