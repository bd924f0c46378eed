import { SupplierFailure } from '../../domain/supplier-failure';
import {
  type PurchaseRequest,
  type SupplierClient,
  type SupplierPurchase,
} from '../../application/supplier-client';
import { type BreakerState, GuardedSupplier } from './guarded-supplier';

/** A supplier whose next answers the test scripts: ok, a 5xx, a 4xx, or no answer at all. */
class ScriptedSupplier implements SupplierClient {
  readonly id = 'primary';
  calls = 0;
  aborted = 0;
  next: 'ok' | 'fail' | 'reject' | 'hang' = 'ok';

  purchase(_request: PurchaseRequest, signal: AbortSignal): Promise<SupplierPurchase> {
    this.calls++;
    const answer = this.next;
    if (answer === 'ok') return Promise.resolve({ supplierOrderId: 's1', keys: ['K'] });
    if (answer === 'fail') return Promise.reject(new SupplierFailure('retryable', this.id, 'HTTP 503'));
    if (answer === 'reject') return Promise.reject(new SupplierFailure('rejected', this.id, 'HTTP 422'));
    return new Promise((_resolve, reject) =>
      signal.addEventListener('abort', () => {
        this.aborted++;
        reject(new Error('aborted'));
      }),
    );
  }

  findPurchase(): Promise<SupplierPurchase | undefined> {
    return Promise.resolve(undefined);
  }
}

const request: PurchaseRequest = { orderId: 'o', idempotencyKey: 'kf-o-1', sku: 'S', quantity: 1 };
const config = {
  timeoutMs: 1000,
  errorThresholdPercentage: 50,
  volumeThreshold: 4,
  resetTimeoutMs: 5000,
  rollingCountTimeoutMs: 60000,
};

/** Call by call, in the manner of Resilience4j's CircuitBreakerStateMachineTest, on jest's fake clock. */
describe('supplier circuit breaker state machine', () => {
  let client: ScriptedSupplier;
  let supplier: GuardedSupplier;
  let transitions: BreakerState[];

  const call = () =>
    supplier.purchase(request).then(
      () => 'ok',
      (error: SupplierFailure) => error.kind,
    );

  beforeEach(() => {
    jest.useFakeTimers();
    client = new ScriptedSupplier();
    transitions = [];
    supplier = new GuardedSupplier(client, config, (_id, state) => transitions.push(state));
  });

  afterEach(() => {
    supplier.shutdown();
    jest.useRealTimers();
  });

  it('stays closed below the volume threshold, then opens when the failure rate passes it', async () => {
    client.next = 'fail';
    for (let i = 1; i <= 3; i++) {
      expect(await call()).toBe('retryable');
      expect(supplier.state).toBe('closed'); // 3 calls < volumeThreshold 4
    }
    expect(await call()).toBe('retryable'); // 4th failure: 100% > 50% → open
    expect(supplier.state).toBe('open');
    expect(transitions).toEqual(['open']);
  });

  it('rejects calls while open without calling the supplier', async () => {
    client.next = 'fail';
    for (let i = 0; i < 4; i++) await call();
    const before = client.calls;
    expect(await call()).toBe('breaker-open');
    expect(client.calls).toBe(before);
  });

  it('half-opens after the reset timeout and lets exactly one probe through; success closes it', async () => {
    client.next = 'fail';
    for (let i = 0; i < 4; i++) await call();
    jest.advanceTimersByTime(4999);
    expect(supplier.state).toBe('open');
    jest.advanceTimersByTime(1);
    expect(supplier.state).toBe('half-open');

    client.next = 'hang';
    const probe = call(); // the one probe, left pending
    expect(await call()).toBe('breaker-open'); // a second caller is not let through
    client.next = 'ok';
    jest.advanceTimersByTime(1000); // the probe times out → open again
    expect(await probe).toBe('unknown-outcome');
    expect(supplier.state).toBe('open');

    jest.advanceTimersByTime(5000);
    expect(supplier.state).toBe('half-open');
    expect(await call()).toBe('ok'); // probe succeeds → closed
    expect(supplier.state).toBe('closed');
    expect(transitions).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('opens again when the half-open probe fails', async () => {
    client.next = 'fail';
    for (let i = 0; i < 4; i++) await call();
    jest.advanceTimersByTime(5000);
    expect(await call()).toBe('retryable');
    expect(supplier.state).toBe('open');
    expect(transitions).toEqual(['open', 'half-open', 'open']);
  });

  it('times a hanging call out at the breaker timeout and aborts that call’s own request', async () => {
    client.next = 'hang';
    const first = call();
    const second = call();
    jest.advanceTimersByTime(999);
    expect(client.aborted).toBe(0);
    jest.advanceTimersByTime(1);
    expect(await first).toBe('unknown-outcome');
    expect(await second).toBe('unknown-outcome');
    expect(client.aborted).toBe(2);
  });

  it('does not count a refusal for good (4xx) against the supplier', async () => {
    client.next = 'reject';
    for (let i = 0; i < 6; i++) expect(await call()).toBe('rejected');
    expect(supplier.state).toBe('closed');
  });
});
