import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { Topics } from '@keyflow/contracts';
import { open, seal } from '@keyflow/sealed-box';
import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  eventually,
  metricValue,
  ServiceProcess,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  withPgClient,
} from '@keyflow/testing';

import { Upstream } from './upstream';

const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const deliveryKeys = rsa();
const notificationKeys = rsa();
const operator = generateApiKey('e2e-operator', ['operate']);
const reader = generateApiKey('e2e-reader', ['read']);
const parsed = (value: string | null): any => JSON.parse(value ?? '{}');
const idempotencyKeyOf = (orderId: string, reservationId: string) => `kf-${orderId}-${reservationId}`;

/** Short breaker and retry settings, so every outage plays out in seconds. */
const BREAKER = {
  timeoutMs: 800,
  errorThresholdPercentage: 50,
  volumeThreshold: 3,
  resetTimeoutMs: 2000,
  rollingCountTimeoutMs: 30000,
};
const SUPPLIER_IDS = ['p-down', 'p-hang', 'p-late', 'p-dead', 'p-crash', 'backup'];

/** delivery and the sandbox suppliers as real processes; inventory is played by the test. */
describe('delivery service', () => {
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-suppliers/src/main.ts',
    port: testPort(),
    env: { SANDBOX_SUPPLIERS: SUPPLIER_IDS.join(',') },
  });
  const deliveryEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: testDatabaseUrl(),
    OPERATOR_API_KEYS: [operator.record, reader.record].map(formatApiKeyRecord).join(';'),
    DELIVERY_SEALING_PRIVATE_KEY: deliveryKeys.privateKey,
    NOTIFICATION_SEALING_PUBLIC_KEY: notificationKeys.publicKey,
    DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    DELIVERY_SUPPLIERS: JSON.stringify(
      SUPPLIER_IDS.map((id) => ({
        id,
        kind: 'http-json',
        baseUrl: `${sandbox.url}/suppliers/${id}`,
        breaker: BREAKER,
        retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 200 },
      })),
    ),
    DELIVERY_MAX_ATTEMPTS: '3',
    DELIVERY_RETRY_BASE_MS: '300',
    DELIVERY_RETRY_MAX_MS: '1000',
    DELIVERY_WORKER_INTERVAL_MS: '100',
    DELIVERY_JOB_LEASE_MS: '4000',
    ...extra,
  });
  const env = deliveryEnv();
  const port = testPort();
  const delivery = new ServiceProcess({ entry: 'apps/delivery/src/main.ts', port, env });
  const upstream = new Upstream();
  let probe: TopicProbe;

  const http = (path: string, key: string, method = 'GET') =>
    fetch(`${delivery.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });
  const supplierApi = async (path: string, body?: object) => {
    const response = await fetch(`${sandbox.url}/suppliers/${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const eventsOf = (orderId: string, type?: string) =>
    probe
      .where((m) => m.key === orderId)
      .map((m) => parsed(m.value))
      .filter((e) => !type || e.type === type);
  const waitFor = (orderId: string, type: string, count = 1, timeoutMs = 20000) =>
    eventually(async () => (eventsOf(orderId, type).length >= count ? eventsOf(orderId, type) : undefined), {
      timeoutMs,
      what: `${count} ${type} for ${orderId}\n${delivery.output.slice(-3000)}`,
    });
  const commitSupplier = async (route: string[], sku = 'GIFT-10') => {
    const orderId = randomUUID();
    const reservationId = randomUUID();
    await upstream.publish('stock.committed.v1', {
      orderId,
      sku,
      quantity: 1,
      reservationId,
      source: 'supplier',
      suppliers: route,
      supplierSku: `${sku}-UP`,
    });
    return { orderId, idempotencyKey: idempotencyKeyOf(orderId, reservationId) };
  };
  const breakerState = async (supplier: string) =>
    (
      (await (await http('/v1/suppliers', reader.key)).json()) as Array<{ supplier: string; state: string }>
    ).find((s) => s.supplier === supplier)?.state;
  const redeliverTimes = (orderId: string, clicks: number) =>
    Promise.all(
      Array.from({ length: clicks }, async () => {
        const response = await http(`/v1/deliveries/${orderId}/redeliver`, operator.key, 'POST');
        return { status: response.status, body: (await response.json()) as any };
      }),
    );

  const reconcile = (path: string, body: unknown, key = operator.key) =>
    fetch(`${delivery.url}/v1/abandoned-purchases/${path}/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const abandonedList = async (state: 'open' | 'reconciled') =>
    ((await (await http(`/v1/abandoned-purchases?state=${state}&limit=200`, reader.key)).json()) as any)
      .items;
  /** The operator's side of an abandoned purchase: listed, bad input refused, reconciled once, then shown. */
  const operatorReconciles = async (orderId: string, idempotencyKey: string) => {
    const open = (await abandonedList('open')).filter((p: any) => p.orderId === orderId);
    expect(open).toEqual([
      expect.objectContaining({ supplierId: 'p-hang', idempotencyKey, reconciledAt: null, outcome: null }),
    ]);
    const good = { outcome: 'not-sold', note: 'p-hang support: no purchase under this key' };
    const refusals = await Promise.all([
      reconcile(`${orderId}/p-hang`, { outcome: 'maybe', note: 'not an outcome' }),
      reconcile(`${orderId}/p-hang`, { outcome: 'sold' }),
      reconcile(`${orderId}/p-hang`, { ...good, extra: 1 }),
      reconcile(`not-a-uuid/p-hang`, good),
      reconcile(`${orderId}/backup`, good),
      reconcile(`${orderId}/p-hang`, good, reader.key),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([400, 400, 400, 400, 404, 403]);
    expect((await abandonedList('open')).some((p: any) => p.orderId === orderId)).toBe(true);

    const first = await reconcile(`${orderId}/p-hang`, good);
    expect(first.status).toBe(200);
    const recorded = (await first.json()) as any;
    expect(recorded).toMatchObject({ ...good, orderId, supplierId: 'p-hang', reconciledBy: 'e2e-operator' });
    expect(Date.parse(recorded.reconciledAt)).toBeGreaterThan(Date.now() - 60_000);
    const again = await reconcile(`${orderId}/p-hang`, { outcome: 'sold', note: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).detail).toContain('already reconciled as not-sold by e2e-operator');

    expect((await abandonedList('open')).some((p: any) => p.orderId === orderId)).toBe(false);
    const reconciled = (await abandonedList('reconciled')).filter((p: any) => p.orderId === orderId);
    expect(reconciled).toEqual([expect.objectContaining({ ...good, reconciledBy: 'e2e-operator' })]);
  };

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS delivery CASCADE'));
    probe = await new TopicProbe([Topics.delivery]).start();
    await sandbox.start();
    await Promise.all([delivery.start(), upstream.start()]);
  });

  afterAll(async () => {
    await probe?.stop();
    await upstream.stop();
    await delivery.stop();
    await sandbox.stop();
  });

  let poolOrder: string;
  const poolKeys = ['POOL-AAAA-0001', 'POOL-AAAA-0002'];

  it('delivers pool keys at once: stored encrypted, sealed for notification, one delivery per order', async () => {
    poolOrder = randomUUID();
    const data = {
      orderId: poolOrder,
      sku: 'POOL-SKU',
      quantity: 2,
      reservationId: randomUUID(),
      source: 'pool',
      keys: await Promise.all(
        poolKeys.map(async (key) => ({
          keyId: randomUUID(),
          sealed: await seal(key, deliveryKeys.publicKey),
        })),
      ),
    };
    const messageId = await upstream.publish('stock.committed.v1', data);
    await upstream.publish('stock.committed.v1', data, messageId); // the same message again
    await upstream.publish('stock.committed.v1', data); // the same fact under a new id
    const [succeeded] = await waitFor(poolOrder, 'delivery.succeeded.v1');
    expect(succeeded.data).toMatchObject({ servedBy: 'pool', itemCount: 2, attempts: 1 });
    expect(
      await Promise.all(succeeded.data.keys.map((k: any) => open(k.sealed, notificationKeys.privateKey))),
    ).toEqual(poolKeys);
    expect(JSON.stringify(succeeded)).not.toContain('POOL-AAAA');

    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventsOf(poolOrder, 'delivery.succeeded.v1')).toHaveLength(1);
    const stored = await withPgClient((client) =>
      client.query(
        `SELECT encode(ciphertext, 'escape') AS c FROM delivery.delivered_keys k
        JOIN delivery.deliveries d USING (delivery_id) WHERE d.order_id = $1`,
        [poolOrder],
      ),
    );
    expect(stored.rows).toHaveLength(2);
    expect(JSON.stringify(stored.rows)).not.toContain('POOL-AAAA');
    const view = await http(`/v1/deliveries/${poolOrder}`, reader.key);
    const text = await view.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'delivered', servedBy: 'pool', attempts: 1 });
    expect(text).not.toContain('POOL-AAAA');
    expect(delivery.output).not.toContain('POOL-AAAA');
  });

  it('fails over to the backup while the primary is down; the breaker opens, half-opens and closes', async () => {
    await supplierApi('p-down/faults', { outage: true });
    const first = await commitSupplier(['p-down', 'backup']);
    const second = await commitSupplier(['p-down', 'backup']);
    for (const { orderId } of [first, second]) {
      const [switched] = await waitFor(orderId, 'delivery.supplier-switched.v1');
      expect(switched.data).toMatchObject({ fromSupplier: 'p-down', toSupplier: 'backup' });
      const [succeeded] = await waitFor(orderId, 'delivery.succeeded.v1');
      expect(succeeded.data.servedBy).toBe('backup');
      const types = eventsOf(orderId).map((e) => e.type);
      expect(types.indexOf('delivery.supplier-switched.v1')).toBeLessThan(
        types.indexOf('delivery.succeeded.v1'),
      );
    }
    expect(await breakerState('p-down')).toBe('open');
    const metrics = await (await fetch(`${delivery.url}/metrics`)).text();
    expect(metrics).toMatch(/keyflow_supplier_breaker_state\{[^}]*supplier="p-down"[^}]*\} 2/);

    // While open, the primary is not called at all.
    const callsWhileOpen = (await supplierApi('p-down/stats')).body.purchaseRequests;
    const third = await commitSupplier(['p-down', 'backup']);
    await waitFor(third.orderId, 'delivery.succeeded.v1');
    expect((await supplierApi('p-down/stats')).body.purchaseRequests).toBe(callsWhileOpen);

    await supplierApi('p-down/faults', { recover: true });
    await eventually(async () => ((await breakerState('p-down')) === 'half-open' ? true : undefined), {
      timeoutMs: 5000,
      what: 'p-down to half-open',
    });
    const back = await commitSupplier(['p-down', 'backup']);
    const [succeeded] = await waitFor(back.orderId, 'delivery.succeeded.v1');
    expect(succeeded.data.servedBy).toBe('p-down');
    expect(await breakerState('p-down')).toBe('closed');
    const after = await (await fetch(`${delivery.url}/metrics`)).text();
    expect(after).toMatch(
      /keyflow_supplier_breaker_transitions_total\{[^}]*supplier="p-down"[^}]*state="half-open"/,
    );
    expect(after).toMatch(
      /keyflow_supplier_breaker_transitions_total\{[^}]*supplier="p-down"[^}]*state="closed"/,
    );
    const view = await (await http(`/v1/deliveries/${first.orderId}`, reader.key)).json();
    expect(view).toMatchObject({ status: 'delivered', supplierSwitches: [{ from: 'p-down', to: 'backup' }] });
  });

  it('times a hanging primary out at the breaker timeout and never buys from the backup meanwhile', async () => {
    await supplierApi('p-hang/faults', { hang: true });
    const started = Date.now();
    const { orderId, idempotencyKey } = await commitSupplier(['p-hang', 'backup']);
    const [failed] = await waitFor(orderId, 'delivery.attempt-failed.v1');
    // Two calls and two look-ups of 800 ms each, not a socket's default minutes.
    expect(Date.now() - started).toBeLessThan(8000);
    expect(failed.data.reason).toContain('p-hang: no answer within 800 ms');
    expect(failed.data.reason).toContain('backup: not tried, outcome at p-hang unknown');
    await supplierApi('p-hang/faults', { recover: true });
    const [succeeded] = await waitFor(orderId, 'delivery.succeeded.v1');
    expect(succeeded.data.servedBy).toBe('p-hang');
    expect((await supplierApi(`backup/purchases/${idempotencyKey}`)).status).toBe(404);
  });

  it('uses a purchase that timed out but went through: one purchase, no backup', async () => {
    await supplierApi('p-late/faults', { latencyMs: 2000 });
    const { orderId, idempotencyKey } = await commitSupplier(['p-late', 'backup']);
    const [succeeded] = await waitFor(orderId, 'delivery.succeeded.v1');
    expect(succeeded.data).toMatchObject({ servedBy: 'p-late', attempts: 1 });
    expect(eventsOf(orderId, 'delivery.supplier-switched.v1')).toHaveLength(0);
    const bought = await supplierApi(`p-late/purchases/${idempotencyKey}`);
    expect(bought.body.purchaseRequests).toBe(1);
    expect(
      await Promise.all(succeeded.data.keys.map((k: any) => open(k.sealed, notificationKeys.privateKey))),
    ).toEqual(bought.body.keys);
    expect((await supplierApi(`backup/purchases/${idempotencyKey}`)).status).toBe(404);
    await supplierApi('p-late/faults', { recover: true });
  });

  it('gives up after the attempt limit, and 10 retry clicks queue it once: one purchase, one delivery', async () => {
    await supplierApi('p-dead/faults', { outage: true });
    const { orderId, idempotencyKey } = await commitSupplier(['p-dead']);
    const [failed] = await waitFor(orderId, 'delivery.failed.v1');
    expect(failed.data).toMatchObject({ attempts: 3 });
    expect(eventsOf(orderId, 'delivery.attempt-failed.v1')).toHaveLength(3);
    await supplierApi('p-dead/faults', { recover: true });
    // The retries opened p-dead's circuit; a click while it is open would only fail again quickly.
    await eventually(async () => ((await breakerState('p-dead')) === 'half-open' ? true : undefined), {
      timeoutMs: 5000,
      what: 'p-dead to half-open',
    });

    const answers = await redeliverTimes(orderId, 10);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(answers.filter((a) => a.body.accepted)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.requestId)).size).toBe(1);
    await waitFor(orderId, 'delivery.succeeded.v1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventsOf(orderId, 'delivery.succeeded.v1')).toHaveLength(1);
    expect((await supplierApi(`p-dead/purchases/${idempotencyKey}`)).body.purchaseRequests).toBe(1);
  });

  it('10 resend clicks on a delivered order are one resend of the same keys, not a new delivery', async () => {
    const answers = await redeliverTimes(poolOrder, 10);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(answers.filter((a) => a.body.accepted)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.deliveryId)).size).toBe(1);
    // One resend request on Kafka, carrying the very same keys (sealed for notification), and no new delivery.
    const [resend] = await waitFor(poolOrder, 'delivery.resend-requested.v1', 1, 20000);
    const [delivered] = eventsOf(poolOrder, 'delivery.succeeded.v1');
    const plain = (keys: any[]) =>
      Promise.all(keys.map((k: any) => open(k.sealed, notificationKeys.privateKey)));
    expect(await plain(resend.data.keys)).toEqual(await plain(delivered.data.keys));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(eventsOf(poolOrder, 'delivery.succeeded.v1')).toHaveLength(1);
    expect(eventsOf(poolOrder, 'delivery.resend-requested.v1')).toHaveLength(1);
    const view = (await (await http(`/v1/deliveries/${poolOrder}`, reader.key)).json()) as any;
    expect(view.redeliveries).toHaveLength(1);
    expect((await http(`/v1/deliveries/${poolOrder}/redeliver`, reader.key, 'POST')).status).toBe(403);
  });

  it('kill -9 after the purchase, before it is recorded: after restart, one purchase and one delivery', async () => {
    await delivery.stop();
    const crashing = new ServiceProcess({
      entry: 'apps/delivery/src/main.ts',
      port,
      env: deliveryEnv({ KEYFLOW_CRASH_AT: 'delivery.after-purchase' }),
    });
    await crashing.start();
    const { orderId, idempotencyKey } = await commitSupplier(['p-crash', 'backup']);
    expect(await crashing.exited(30000)).toBe('SIGKILL');
    expect((await supplierApi(`p-crash/purchases/${idempotencyKey}`)).body.purchaseRequests).toBe(1);
    expect(eventsOf(orderId, 'delivery.succeeded.v1')).toHaveLength(0);

    await delivery.start();
    const [succeeded] = await waitFor(orderId, 'delivery.succeeded.v1', 1, 30000);
    expect(succeeded.data).toMatchObject({ servedBy: 'p-crash', attempts: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(eventsOf(orderId, 'delivery.succeeded.v1')).toHaveLength(1);
    expect((await supplierApi(`p-crash/purchases/${idempotencyKey}`)).body.purchaseRequests).toBe(1);
    expect((await supplierApi(`backup/purchases/${idempotencyKey}`)).status).toBe(404);
  });

  it('bounds the wait: past the unknown-outcome limit a silent primary no longer blocks the backup, and is kept for reconciliation, which an operator records once', async () => {
    await delivery.stop();
    const bounded = new ServiceProcess({
      entry: 'apps/delivery/src/main.ts',
      port,
      env: deliveryEnv({ DELIVERY_UNKNOWN_OUTCOME_GIVE_UP_MS: '1500' }),
    });
    await bounded.start();
    try {
      await supplierApi('p-hang/faults', { hang: true });
      const { orderId, idempotencyKey } = await commitSupplier(['p-hang', 'backup']);
      const [succeeded] = await waitFor(orderId, 'delivery.succeeded.v1', 1, 30000);
      expect(succeeded.data.servedBy).toBe('backup');
      expect((await supplierApi(`backup/purchases/${idempotencyKey}`)).body.purchaseRequests).toBe(1);
      const abandoned = await withPgClient((client) =>
        client.query('SELECT supplier_id FROM delivery.abandoned_purchases WHERE order_id = $1', [orderId]),
      );
      expect(abandoned.rows).toEqual([{ supplier_id: 'p-hang' }]);
      // This process is fresh: its counters are this order's calls alone.
      const metrics = await (await fetch(`${delivery.url}/metrics`)).text();
      const calls = (supplier: string, outcome: string) =>
        metricValue(metrics, 'keyflow_supplier_calls_total', { supplier, outcome });
      expect(calls('backup', 'ok')).toBe(1);
      expect(calls('p-hang', 'unknown-outcome')).toBeGreaterThanOrEqual(1);
      expect(calls('p-hang', 'ok')).toBe(0);
      expect(
        metricValue(metrics, 'keyflow_supplier_abandoned_unknown_outcomes_total', { supplier: 'p-hang' }),
      ).toBe(1);
      await operatorReconciles(orderId, idempotencyKey);
    } finally {
      await supplierApi('p-hang/faults', { recover: true });
      await bounded.stop();
    }
  });
});
