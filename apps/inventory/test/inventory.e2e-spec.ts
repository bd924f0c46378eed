import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { type Client } from 'pg';

import { Topics } from '@keyflow/contracts';
import { open } from '@keyflow/sealed-box';
import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  eventually,
  OrderSource,
  ServiceProcess,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  uniqueSchemaName,
  withPgClient,
} from '@keyflow/testing';

import { Upstream } from './upstream';

const ROOT = path.resolve(__dirname, '../../..');
const admin = generateApiKey('e2e-admin', ['admin']);
const reader = generateApiKey('e2e-reader', ['read']);
const masterKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const k1 = masterKey('k1');
const k2 = masterKey('k2');
const fingerprintKey = randomBytes(32).toString('base64');
const delivery = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
/** Each run uses its own SKU codes, so Kafka history from earlier runs never matches. */
const run = randomBytes(3).toString('hex');
const skuOf = (name: string) => `${name}-${run}`;

const json = (response: Response): Promise<any> => response.json();
const parsed = (value: string | null): any => JSON.parse(value ?? '{}');

/** inventory as a real process against the real broker and Postgres; orders and risk are played by the test. */
describe('inventory service', () => {
  const inventory = new ServiceProcess({
    entry: 'apps/inventory/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: [admin.record, reader.record].map(formatApiKeyRecord).join(';'),
      // The service runs mid-rotation: k2 is current, k1 still listed so old batches open.
      INVENTORY_MASTER_KEYS: `${k2};${k1}`,
      INVENTORY_FINGERPRINT_KEY: fingerprintKey,
      DELIVERY_SEALING_PUBLIC_KEY: delivery.publicKey,
      INVENTORY_EXPIRY_SCAN_MS: '200',
      // The alarm is checked after every order instead of once a second per SKU, so the crossing tests
      // can tell which order crossed (the level reported is the one counted when it is evaluated).
      INVENTORY_LOW_STOCK_MIN_GAP_MS: '1',
    },
  });
  const orders = new OrderSource(uniqueSchemaName('inv_orders'));
  const upstream = new Upstream();
  let probe: TopicProbe;

  const http = (urlPath: string, init: RequestInit & { key?: string } = {}) =>
    fetch(`${inventory.url}${urlPath}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const defineSku = async (sku: string, body: Record<string, unknown>) => {
    const response = await http(`/v1/skus/${sku}`, {
      method: 'PUT',
      key: admin.key,
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return json(response);
  };
  const importKeys = (sku: string, body: string, contentType = 'text/plain') =>
    http(`/v1/skus/${sku}/keys`, {
      method: 'POST',
      key: admin.key,
      body,
      headers: { 'content-type': contentType },
    });
  const stockEvents = (type: string, where: (data: any) => boolean = () => true) =>
    probe
      .where((m) => m.value!.includes(`"${type}"`))
      .map((m) => parsed(m.value))
      .filter((e) => e.type === type && where(e.data));
  const waitForEvents = (type: string, where: (data: any) => boolean, count: number, timeoutMs = 20000) =>
    eventually(
      async () => {
        const found = stockEvents(type, where);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, what: `${count} ${type}` },
    );
  const forOrder = (orderId: string) => (data: any) => data.orderId === orderId;
  const levelOf = async (sku: string) =>
    (await json(await http(`/v1/skus/${sku}`, { key: reader.key }))).stock;

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS inventory CASCADE'));
    probe = await new TopicProbe([Topics.inventory]).start();
    await Promise.all([inventory.start(), orders.start(), upstream.start()]);
  });

  afterAll(async () => {
    await probe?.stop();
    await upstream.stop();
    await orders.stop().catch(() => undefined);
    await withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS "${orders.schema}" CASCADE`));
    await inventory.stop();
  });

  it('guards the operator API with scoped API keys and validates SKU definitions', async () => {
    expect((await http('/v1/stock')).status).toBe(401);
    const sku = skuOf('GUARD');
    const body = JSON.stringify({ source: 'pool', lowStockThreshold: 1 });
    expect((await http(`/v1/skus/${sku}`, { method: 'PUT', key: reader.key, body })).status).toBe(403);
    const invalid = await http(`/v1/skus/${sku}`, {
      method: 'PUT',
      key: admin.key,
      body: JSON.stringify({ source: 'supplier', lowStockThreshold: 1 }),
    });
    expect(invalid.status).toBe(422);
    expect(await json(invalid)).toMatchObject({ code: 'INVENTORY.INVALID_SKU' });
  });

  it('imports keys encrypted at rest, reporting duplicates within the batch and against the pool', async () => {
    const sku = skuOf('IMPORT');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    const keys = ['IMP-AAAA-0001', 'IMP-AAAA-0002', 'IMP-AAAA-0003'];
    const first = await importKeys(sku, `${keys.join('\n')}\n\n${keys[1]}\n`);
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({
      received: 4,
      imported: 3,
      masterKeyId: 'k2',
      duplicatesInBatch: { count: 1, lines: [5] },
      duplicatesInPool: { count: 0 },
    });
    const second = await importKeys(sku, `note,key\nold,${keys[2]}\nnew,IMP-AAAA-0004\n`, 'text/csv');
    const report = await json(second);
    expect(report).toMatchObject({ received: 2, imported: 1, duplicatesInPool: { count: 1, lines: [2] } });
    expect(JSON.stringify(report)).not.toContain('IMP-AAAA');

    const bad = await importKeys(sku, `IMP-OK-1\nIMP-${'x'.repeat(600)}\n`);
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({ code: 'INVENTORY.INVALID_KEY_FILE', lines: [{ line: 2 }] });

    expect(await levelOf(sku)).toMatchObject({ available: 4, reserved: 0, sold: 0 });
    const history = await json(await http(`/v1/imports?sku=${sku}`, { key: reader.key }));
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      imported: 1,
      duplicatesInPool: 1,
      origin: 'api',
      importedBy: 'e2e-admin',
    });

    const rows = await withPgClient(
      async (client) =>
        (
          await client.query(
            'SELECT k.*, b.wrapped_data_key FROM inventory.card_keys k JOIN inventory.key_batches b USING (batch_id) WHERE k.sku = $1',
            [sku],
          )
        ).rows,
    );
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const everything = Buffer.concat([row.ciphertext, row.fingerprint, row.wrapped_data_key]);
      for (const encoding of ['utf8', 'latin1', 'hex', 'base64'] as const) {
        expect(everything.toString(encoding)).not.toContain('IMP-AAAA');
        expect(everything.toString(encoding).toLowerCase()).not.toContain(
          Buffer.from('IMP-AAAA').toString(encoding).toLowerCase(),
        );
      }
      expect(JSON.stringify(row)).not.toContain('IMP-AAAA');
    }
  });

  it('commits with keys sealed for delivery that open to exactly the imported keys, across a master key rotation', async () => {
    const sku = skuOf('COMMIT');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    const oldKeys = ['OLD-K1-0001', 'OLD-K1-0002', 'OLD-K1-0003', 'OLD-K1-0004'];
    const newKeys = ['NEW-K2-0001', 'NEW-K2-0002'];
    // The CLI still configured with only the old master key k1: an "old batch".
    const dir = mkdtempSync(path.join(tmpdir(), 'inventory-e2e-'));
    writeFileSync(path.join(dir, 'keys.txt'), `${oldKeys.join('\n')}\n${oldKeys[0]}\n`);
    const cli = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        'apps/inventory/src/cli/import-keys.ts',
        '--sku',
        sku,
        '--file',
        path.join(dir, 'keys.txt'),
        '--chunk-size',
        '2',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'),
          DATABASE_URL: testDatabaseUrl(),
          INVENTORY_MASTER_KEYS: k1,
          INVENTORY_FINGERPRINT_KEY: fingerprintKey,
        },
      },
    );
    expect(cli.stdout).toContain('received 5, imported 4');
    expect(cli.stdout).toMatch(/already in the pool: 1 \(lines 5\)|duplicates within a batch: 1/);
    expect(cli.stdout + cli.stderr).not.toContain('OLD-K1');
    expect((await importKeys(sku, newKeys.join('\n'))).status).toBe(201);
    const wrappedWith = async () =>
      (
        await withPgClient((c) =>
          c.query('SELECT master_key_id FROM inventory.key_batches WHERE sku = $1 ORDER BY master_key_id', [
            sku,
          ]),
        )
      ).rows.map((r) => r.master_key_id);
    // 5 lines in batches of 2: the last batch held only a duplicate, still recorded in the history.
    expect(await wrappedWith()).toEqual(['k1', 'k1', 'k1', 'k2']);

    const opened: string[] = [];
    const sellAndOpen = async (quantity: number) => {
      const order = await orders.placeOrderCommitted({ sku, quantity });
      await waitForEvents('stock.reserved.v1', forOrder(order.orderId), 1);
      await upstream.approve(order.orderId);
      const [committed] = await waitForEvents('stock.committed.v1', forOrder(order.orderId), 1);
      expect(committed.data).toMatchObject({ source: 'pool', quantity });
      expect(committed.data.keys).toHaveLength(quantity);
      expect(JSON.stringify(committed)).not.toMatch(/OLD-K1|NEW-K2/);
      opened.push(
        ...(await Promise.all(
          committed.data.keys.map((k: { sealed: string }) => open(k.sealed, delivery.privateKey)),
        )),
      );
    };
    await sellAndOpen(3); // the oldest keys: from the k1 batches, opened by a service whose current key is k2

    const rewrap = await json(await http('/v1/admin/key-batches/rewrap', { method: 'POST', key: admin.key }));
    expect(rewrap).toMatchObject({ currentMasterKeyId: 'k2' });
    expect(Object.keys(rewrap.batchesByMasterKey)).toEqual(['k2']);
    expect(await wrappedWith()).toEqual(['k2', 'k2', 'k2', 'k2']);

    await sellAndOpen(3); // the last k1-origin key (now re-wrapped) and the k2 batch
    expect(opened.sort()).toEqual([...oldKeys, ...newKeys].sort());
    expect(await levelOf(sku)).toMatchObject({ available: 0, reserved: 0, sold: 6 });
    const sold = await withPgClient((c) =>
      c.query(
        `SELECT count(DISTINCT sold_to_order)::int AS n FROM inventory.card_keys WHERE sku = $1 AND status = 'sold'`,
        [sku],
      ),
    );
    expect(sold.rows[0].n).toBe(2);
  });

  it('routes supplier SKUs: limit enforced, committed with the ordered suppliers and supplier SKU', async () => {
    const sku = skuOf('SUPPLIER');
    await defineSku(sku, {
      source: 'supplier',
      suppliers: ['acme', 'backup-co'],
      supplierSku: 'ACME-50',
      supplierStockLimit: 3,
      lowStockThreshold: 0,
    });
    const placed = await Promise.all([1, 2, 3].map(() => orders.placeOrderCommitted({ sku, quantity: 2 })));
    await waitForEvents('stock.reserved.v1', (d) => d.sku === sku, 1);
    await waitForEvents('stock.unavailable.v1', (d) => d.sku === sku, 2);
    const [reserved] = stockEvents('stock.reserved.v1', (d) => d.sku === sku);
    expect(reserved.data.source).toBe('supplier');
    await upstream.approve(reserved.data.orderId);
    const [committed] = await waitForEvents('stock.committed.v1', forOrder(reserved.data.orderId), 1);
    expect(committed.data).toMatchObject({
      source: 'supplier',
      suppliers: ['acme', 'backup-co'],
      supplierSku: 'ACME-50',
      quantity: 2,
    });
    expect(committed.data.keys).toBeUndefined();
    expect(await levelOf(sku)).toMatchObject({ available: 1, reserved: 0, sold: 2 });
    expect(placed).toHaveLength(3);
  });

  it('routes unlimited supplier SKUs without writing their row, and counts those orders once a limit is set', async () => {
    const sku = skuOf('UNLIMITED');
    const definition = {
      source: 'supplier',
      suppliers: ['acme'],
      supplierSku: 'ACME-U',
      lowStockThreshold: 0,
    };
    await defineSku(sku, definition);
    const placed = await withPgClient(async (holder) => {
      // Another writer of the row (as a limited SKU's orders are): orders of an unlimited SKU do not queue on it.
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM inventory.skus WHERE sku = $1 FOR NO KEY UPDATE', [sku]);
      try {
        const placed = await Promise.all([1, 2].map(() => orders.placeOrderCommitted({ sku, quantity: 1 })));
        await waitForEvents('stock.reserved.v1', (d) => d.sku === sku, 2);
        await upstream.approve(placed[0]!.orderId);
        await waitForEvents('stock.committed.v1', forOrder(placed[0]!.orderId), 1);
        return placed;
      } finally {
        await holder.query('COMMIT');
      }
    });
    expect(await levelOf(sku)).toMatchObject({ available: null, reserved: 1, sold: 1 });
    await defineSku(sku, { ...definition, supplierStockLimit: 3 }); // 2 of 3 already held
    expect(await levelOf(sku)).toMatchObject({ available: 1, reserved: 1, sold: 1 });
    const more = await Promise.all([1, 2].map(() => orders.placeOrderCommitted({ sku, quantity: 1 })));
    const mine = (d: any) => more.some((o) => o.orderId === d.orderId);
    await waitForEvents('stock.reserved.v1', mine, 1);
    await waitForEvents('stock.unavailable.v1', mine, 1);
    await upstream.cancel(placed[1]!.orderId);
    await waitForEvents('stock.released.v1', forOrder(placed[1]!.orderId), 1);
    expect(await levelOf(sku)).toMatchObject({ available: 1, reserved: 1, sold: 1 });
  });

  it('commits an approval that overtook its OrderPlaced (another topic) as soon as the order is seen', async () => {
    const sku = skuOf('EARLY');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, 'EARLY-1\n');
    const orderId = randomUUID();
    await upstream.approve(orderId);
    // Give the approval time to be handled (and parked) before the order exists.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await orders.placeOrderCommitted({ orderId, sku, quantity: 1 });
    const [committed] = await waitForEvents('stock.committed.v1', forOrder(orderId), 1);
    expect(committed.data.keys).toHaveLength(1);
    expect(await levelOf(sku)).toMatchObject({ available: 0, reserved: 0, sold: 1 });
  });

  it('releases a cancelled order’s reservation', async () => {
    const sku = skuOf('CANCEL');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, 'CAN-1\nCAN-2\n');
    const order = await orders.placeOrderCommitted({ sku, quantity: 2 });
    await waitForEvents('stock.reserved.v1', forOrder(order.orderId), 1);
    expect(await levelOf(sku)).toMatchObject({ available: 0, reserved: 2 });
    await upstream.cancel(order.orderId);
    const [released] = await waitForEvents('stock.released.v1', forOrder(order.orderId), 1);
    expect(released.data.reason).toMatch(/order-cancelled/);
    expect(await levelOf(sku)).toMatchObject({ available: 2, reserved: 0 });
    // A late approval re-reserves the released stock instead of failing the paid order.
    await upstream.approve(order.orderId);
    const [committed] = await waitForEvents('stock.committed.v1', forOrder(order.orderId), 1);
    expect(
      (await Promise.all(committed.data.keys.map((k: any) => open(k.sealed, delivery.privateKey)))).sort(),
    ).toEqual(['CAN-1', 'CAN-2']);
  });

  it('never promises keys it cannot open: a batch under a master key it does not hold is passed over', async () => {
    const sku = skuOf('LOSTKEY');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, 'LOST-1\n');
    // As if this batch had been imported by a deployment with another master key (lost, or not rolled out).
    await withPgClient((client) =>
      client.query(`UPDATE inventory.key_batches SET master_key_id = 'gone' WHERE sku = $1`, [sku]),
    );
    // Inventory tries every batch's data key when it starts, and says which ones it cannot open.
    await inventory.stop();
    await inventory.start();
    expect(inventory.output).toMatch(/does not open with the configured master key \\?"gone/); // a JSON log line
    const stranded = await orders.placeOrderCommitted({ sku, quantity: 1 });
    const [unavailable] = await waitForEvents('stock.unavailable.v1', forOrder(stranded.orderId), 1);
    expect(unavailable.data.sku).toBe(sku);
    // Keys it can open are still sold, and the stranded key stays in the pool for an operator to recover.
    await importKeys(sku, 'GOOD-1\n');
    const sold = await orders.placeOrderCommitted({ sku, quantity: 1 });
    await waitForEvents('stock.reserved.v1', forOrder(sold.orderId), 1);
    await upstream.approve(sold.orderId);
    const [committed] = await waitForEvents('stock.committed.v1', forOrder(sold.orderId), 1);
    expect(
      await Promise.all(committed.data.keys.map((k: any) => open(k.sealed, delivery.privateKey))),
    ).toEqual(['GOOD-1']);
  });

  it('releases the reservation of an order that will be refunded instead of fulfilled', async () => {
    const sku = skuOf('REFUND');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, 'REF-1\n');
    const order = await orders.placeOrderCommitted({ sku, quantity: 1 });
    await waitForEvents('stock.reserved.v1', forOrder(order.orderId), 1);
    await orders.requestRefund({ orderId: order.orderId, amount: order.total, reason: 'risk rejected' });
    const [released] = await waitForEvents('stock.released.v1', forOrder(order.orderId), 1);
    expect(released.data.reason).toMatch(/^refund-requested/);
    expect(await levelOf(sku)).toMatchObject({ available: 1, reserved: 0 });
  });

  it('emits stock.low once per crossing of the threshold, re-armed when stock is back above it', async () => {
    const sku = skuOf('LOW');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 3 });
    await importKeys(sku, ['L1', 'L2', 'L3', 'L4', 'L5'].join('\n'));
    const place = async () => {
      const order = await orders.placeOrderCommitted({ sku, quantity: 1 });
      await waitForEvents('stock.reserved.v1', forOrder(order.orderId), 1);
      return order.orderId;
    };
    const lows = () => probe.where((m) => m.key === sku).map((m) => parsed(m.value));
    const first = [await place(), await place(), await place(), await place()]; // 5 → 1 available
    await eventually(async () => (lows().length >= 1 ? true : undefined), { what: 'stock.low' });
    expect(lows()[0]).toMatchObject({
      type: 'stock.low.v1',
      subject: sku,
      data: { sku, available: 2, threshold: 3 },
    });
    for (const orderId of first.slice(0, 3)) await upstream.cancel(orderId); // back to 4: re-armed
    await waitForEvents('stock.released.v1', (d) => d.sku === sku, 3);
    await place();
    await place(); // 4 → 2: a second crossing
    await eventually(async () => (lows().length >= 2 ? true : undefined), { what: 'second stock.low' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(lows().map((e) => e.data.available)).toEqual([2, 2]);
    const low = await json(await http('/v1/stock/low', { key: reader.key }));
    expect(low).toEqual(expect.arrayContaining([expect.objectContaining({ sku, available: 2, low: true })]));
  });

  it('reserves without the SKU row lock: orders go through while it is held, the stock.low follows its release', async () => {
    const sku = skuOf('LOCKED');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 3 });
    await importKeys(sku, ['LK1', 'LK2', 'LK3', 'LK4', 'LK5'].map((k) => `${k}-${run}`).join('\n'));
    const lows = () => probe.where((m) => m.key === sku).map((m) => parsed(m.value));
    const evaluationsWaitingOnTheLock = (client: Client) =>
      client
        .query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%inventory%skus%FOR%UPDATE%'`,
        )
        .then((r) => r.rows[0].n as number);
    await withPgClient(async (holder) => {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM inventory.skus WHERE sku = $1 FOR UPDATE', [sku]);
      try {
        // Placed together, so they arrive in one batch: 5 → 1 available, crossing the threshold 3.
        const placed = await Promise.all(
          Array.from({ length: 4 }, () => orders.placeOrderCommitted({ sku, quantity: 1 })),
        );
        const ids = new Set(placed.map((o) => o.orderId));
        await waitForEvents('stock.reserved.v1', (d) => ids.has(d.orderId), 4);
        // The alarm's evaluation is what waits for the row lock, off the orders' transactions.
        await withPgClient((observer) =>
          eventually(async () => ((await evaluationsWaitingOnTheLock(observer)) > 0 ? true : undefined), {
            what: 'a low-stock evaluation waiting on the SKU row lock',
          }),
        );
        expect(lows()).toEqual([]);
      } finally {
        await holder.query('COMMIT');
      }
    });
    await eventually(async () => (lows().length >= 1 ? true : undefined), { what: 'stock.low' });
    expect(lows()[0]).toMatchObject({ type: 'stock.low.v1', data: { sku, available: 1, threshold: 3 } });
    expect(await levelOf(sku)).toMatchObject({ available: 1, reserved: 4 });
  });

  it('has one effect for the same message twice, and for a republished OrderPlaced', async () => {
    const sku = skuOf('DUP');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, 'DUP-1\nDUP-2\nDUP-3\n');
    const order = await orders.placeOrderCommitted({ sku, quantity: 1 });
    await waitForEvents('stock.reserved.v1', forOrder(order.orderId), 1);
    await upstream.publish('order.placed.v1', { ...order }); // same order, a new envelope id
    const approval = randomUUID();
    await upstream.approve(order.orderId, approval);
    await upstream.approve(order.orderId, approval); // the very same message again
    await waitForEvents('stock.committed.v1', forOrder(order.orderId), 1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(stockEvents('stock.reserved.v1', forOrder(order.orderId))).toHaveLength(1);
    expect(stockEvents('stock.committed.v1', forOrder(order.orderId))).toHaveLength(1);
    expect(await levelOf(sku)).toMatchObject({ available: 2, reserved: 0, sold: 1 });
  });

  const noKeyHeldTwice = (sku: string) =>
    withPgClient(async (client) => {
      const overlaps = await client.query(
        `SELECT count(*)::int AS n FROM inventory.reservation_keys a
         JOIN inventory.reservation_keys b ON a.key_id = b.key_id AND a.reservation_id < b.reservation_id
         JOIN inventory.card_keys k ON k.key_id = a.key_id AND k.sku = $1
         WHERE a.reserved_at < coalesce(b.released_at, 'infinity') AND b.reserved_at < coalesce(a.released_at, 'infinity')`,
        [sku],
      );
      return overlaps.rows[0].n as number;
    });

  it('race: 200 concurrent orders for 50 keys → exactly 50 reserved, 150 unavailable, no key in two orders', async () => {
    const sku = skuOf('RACE');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0 });
    await importKeys(sku, Array.from({ length: 50 }, (_, i) => `RACE-${run}-${i}`).join('\n'));
    const placed = await Promise.all(
      Array.from({ length: 200 }, () => orders.placeOrderCommitted({ sku, quantity: 1 })),
    );
    const ids = new Set(placed.map((o) => o.orderId));
    const mine = (d: any) => ids.has(d.orderId);
    await eventually(
      async () =>
        stockEvents('stock.reserved.v1', mine).length + stockEvents('stock.unavailable.v1', mine).length >=
        200
          ? true
          : undefined,
      { timeoutMs: 60000, what: '200 stock decisions' },
    );
    expect(stockEvents('stock.reserved.v1', mine)).toHaveLength(50);
    expect(stockEvents('stock.unavailable.v1', mine)).toHaveLength(150);
    const held = await withPgClient((c) =>
      c.query(
        `SELECT count(*)::int AS keys, count(DISTINCT reservation_id)::int AS reservations FROM inventory.card_keys WHERE sku = $1 AND status = 'reserved'`,
        [sku],
      ),
    );
    expect(held.rows[0]).toEqual({ keys: 50, reservations: 50 });
    expect(await noKeyHeldTwice(sku)).toBe(0);
  });

  it('race with short holds: expirations release stock during the run, never handing a key to two orders at once', async () => {
    const sku = skuOf('EXPIRY');
    await defineSku(sku, { source: 'pool', lowStockThreshold: 0, reservationSeconds: 1 });
    await importKeys(sku, Array.from({ length: 50 }, (_, i) => `EXP-${run}-${i}`).join('\n'));
    const placed = [];
    for (let wave = 0; wave < 4; wave++) {
      placed.push(
        ...(await Promise.all(
          Array.from({ length: 50 }, () => orders.placeOrderCommitted({ sku, quantity: 1 })),
        )),
      );
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
    const ids = new Set(placed.map((o) => o.orderId));
    const mine = (d: any) => ids.has(d.orderId);
    await eventually(
      async () =>
        stockEvents('stock.reserved.v1', mine).length + stockEvents('stock.unavailable.v1', mine).length >=
        200
          ? true
          : undefined,
      { timeoutMs: 60000, what: '200 stock decisions' },
    );
    const reserved = stockEvents('stock.reserved.v1', mine).length;
    expect(reserved).toBeGreaterThan(50); // expired holds went back to the pool and were reserved again
    expect(reserved + stockEvents('stock.unavailable.v1', mine).length).toBe(200);
    await waitForEvents('stock.released.v1', (d) => mine(d) && d.reason === 'expired', reserved, 20000);
    expect(await noKeyHeldTwice(sku)).toBe(0);
    expect(await levelOf(sku)).toMatchObject({ available: 50, reserved: 0 });
  });
});
