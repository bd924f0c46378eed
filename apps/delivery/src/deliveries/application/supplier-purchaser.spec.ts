import { SupplierFailure, type SupplierFailureKind } from '../domain/supplier-failure';
import { type PurchasableSupplier, purchaseWithFailover, type PurchaseJob } from './supplier-purchaser';
import { type SupplierPurchase } from './supplier-client';

type Answer = 'ok' | SupplierFailureKind;

/** A supplier answering from a script, recording its calls. */
function fakeSupplier(
  id: string,
  answers: Answer[],
  options: { state?: PurchasableSupplier['state']; has?: boolean } = {},
) {
  const log: string[] = [];
  const sold: SupplierPurchase = { supplierOrderId: `${id}-order`, keys: [`${id}-KEY`] };
  const supplier: PurchasableSupplier = {
    id,
    state: options.state ?? 'closed',
    purchase: async () => {
      log.push('purchase');
      const answer = answers.shift() ?? 'ok';
      if (answer === 'ok') return sold;
      throw new SupplierFailure(answer, id, answer);
    },
    findPurchase: async () => {
      log.push('find');
      return options.has ? sold : undefined;
    },
  };
  return { supplier, log };
}

const retry = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 };
const job = (overrides: Partial<PurchaseJob> = {}): PurchaseJob => ({
  orderId: 'o1',
  idempotencyKey: 'kf-o1-r1',
  sku: 'S',
  quantity: 1,
  route: ['primary', 'backup'],
  started: [],
  ...overrides,
});

async function run(suppliers: Array<ReturnType<typeof fakeSupplier>>, overrides: Partial<PurchaseJob> = {}) {
  const started: string[] = [];
  const sleeps: number[] = [];
  const outcome = await purchaseWithFailover(job(overrides), {
    suppliers: new Map(suppliers.map(({ supplier }) => [supplier.id, { supplier, retry }])),
    noteStarted: async (id) => void started.push(id),
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 1,
  });
  return { outcome, started, sleeps };
}

describe('purchase with failover', () => {
  it('given the primary out of rotation, when buying, then only the backup is asked and the plan says why', async () => {
    const primary = fakeSupplier('primary', ['ok']);
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome, started } = await run([primary, backup], { outOfRotation: ['primary'] });
    expect(primary.log).toEqual([]);
    expect(started).toEqual(['backup']);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'backup' });
  });

  it('given every supplier out of rotation, then the attempt fails naming the pause, buying nothing', async () => {
    const primary = fakeSupplier('primary', ['ok']);
    const { outcome } = await run([primary], { route: ['primary'], outOfRotation: ['primary'] });
    expect(outcome).toEqual({ kind: 'failed', reason: 'primary: out of rotation', switches: [] });
    expect(primary.log).toEqual([]);
  });

  it('given a paused supplier that may already have sold, then it is still asked and its sale delivered', async () => {
    const primary = fakeSupplier('primary', [], { has: true });
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome } = await run([primary, backup], { started: ['primary'], outOfRotation: ['primary'] });
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'primary' });
    expect(primary.log).toEqual(['find']);
    expect(backup.log).toEqual([]);
  });

  it('buys from the primary when it answers', async () => {
    const primary = fakeSupplier('primary', ['ok']);
    const backup = fakeSupplier('backup', []);
    const { outcome, started } = await run([primary, backup]);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'primary', switches: [] });
    expect(started).toEqual(['primary']);
    expect(backup.log).toEqual([]);
  });

  it('retries retryable failures with growing backoff, then fails over and reports the switch', async () => {
    const primary = fakeSupplier('primary', ['retryable', 'retryable', 'retryable']);
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome, sleeps, started } = await run([primary, backup]);
    expect(primary.log).toEqual(['purchase', 'purchase', 'purchase']);
    expect(sleeps).toEqual([10, 20]);
    expect(started).toEqual(['primary', 'backup']);
    expect(outcome).toMatchObject({
      kind: 'bought',
      supplierId: 'backup',
      switches: [{ from: 'primary', to: 'backup', reason: 'primary: retryable after 3 calls' }],
    });
  });

  it('does not retry a refusal for good (4xx) and moves on at once', async () => {
    const primary = fakeSupplier('primary', ['rejected']);
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome, sleeps } = await run([primary, backup]);
    expect(primary.log).toEqual(['purchase']);
    expect(sleeps).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'backup' });
  });

  it('skips a supplier whose circuit is open without calling it, still reporting the switch', async () => {
    const primary = fakeSupplier('primary', [], { state: 'open' });
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome, started } = await run([primary, backup]);
    expect(primary.log).toEqual([]);
    expect(started).toEqual(['backup']);
    expect(outcome).toMatchObject({
      switches: [{ from: 'primary', to: 'backup', reason: 'primary: circuit open' }],
    });
  });

  it('uses a timed-out purchase that did go through instead of buying from the backup', async () => {
    const primary = fakeSupplier('primary', ['unknown-outcome'], { has: true });
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome } = await run([primary, backup]);
    expect(primary.log).toEqual(['purchase', 'find']);
    expect(backup.log).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'primary' });
  });

  it('never buys from the backup while a purchase at the primary may have gone through', async () => {
    const primary = fakeSupplier('primary', ['unknown-outcome', 'unknown-outcome', 'unknown-outcome']);
    primary.supplier.findPurchase = async () => {
      primary.log.push('find');
      throw new SupplierFailure('unknown-outcome', 'primary', 'no answer');
    };
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome } = await run([primary, backup]);
    expect(backup.log).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'failed' });
    expect((outcome as { reason: string }).reason).toContain('backup: not tried, outcome at primary unknown');
  });

  it('once the order has waited past the unknown-outcome limit, buys from the backup and hands the silent supplier back for reconciliation', async () => {
    const primary = fakeSupplier('primary', [], { state: 'open' });
    primary.supplier.findPurchase = async () => {
      primary.log.push('find');
      throw new SupplierFailure('unknown-outcome', 'primary', 'no answer');
    };
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome } = await run([primary, backup], { started: ['primary'], abandonUnknownOutcomes: true });
    expect(primary.log.filter((call) => call === 'purchase')).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'backup', abandoned: ['primary'] });
  });

  it('asks a supplier a crashed attempt had started before buying anywhere', async () => {
    const primary = fakeSupplier('primary', [], { has: true, state: 'open' });
    const backup = fakeSupplier('backup', ['ok']);
    const { outcome } = await run([primary, backup], { started: ['primary'] });
    expect(primary.log).toEqual(['find']);
    expect(backup.log).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'bought', supplierId: 'primary' });
  });

  it('fails with every reason when no supplier sells, and names unconfigured ones', async () => {
    const primary = fakeSupplier('primary', ['rejected']);
    const { outcome } = await run([primary], { route: ['primary', 'ghost'] });
    expect(outcome).toEqual({
      kind: 'failed',
      reason: 'ghost: not configured; primary: rejected',
      switches: [],
    });
  });
});
