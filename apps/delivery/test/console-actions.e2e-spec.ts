import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { Topics } from '@keyflow/contracts';
import { open } from '@keyflow/sealed-box';
import { formatApiKeyRecord, generateApiKey, OrderAccessTokens } from '@keyflow/service-kit';
import {
  eventually,
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
const notificationKeys = rsa();
const operator = generateApiKey('e2e-operator', ['operate']);
const reader = generateApiKey('e2e-reader', ['read']);
const tokenSecret = randomBytes(32).toString('base64url');
const tokens = new OrderAccessTokens(tokenSecret);

/** What the operator console asks of delivery: take a supplier out of rotation; the buyer's own keys. */
describe('delivery: supplier rotation and the buyer’s keys', () => {
  const sandbox = new ServiceProcess({
    entry: 'apps/sandbox-suppliers/src/main.ts',
    port: testPort(),
    env: { SANDBOX_SUPPLIERS: 'alpha,beta' },
  });
  const delivery = new ServiceProcess({
    entry: 'apps/delivery/src/main.ts',
    port: testPort(),
    env: {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: [operator.record, reader.record].map(formatApiKeyRecord).join(';'),
      ORDER_TOKEN_SECRET: tokenSecret,
      ORDER_LINK_MAX_FAILURES: '5',
      DELIVERY_SEALING_PRIVATE_KEY: rsa().privateKey,
      NOTIFICATION_SEALING_PUBLIC_KEY: notificationKeys.publicKey,
      DELIVERY_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      DELIVERY_SUPPLIERS: JSON.stringify(
        ['alpha', 'beta'].map((id) => ({
          id,
          kind: 'http-json',
          baseUrl: `${sandbox.url}/suppliers/${id}`,
          retry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 100 },
        })),
      ),
      DELIVERY_WORKER_INTERVAL_MS: '100',
    },
  });
  const upstream = new Upstream();
  let probe: TopicProbe;

  const http = (path: string, init: { key?: string; method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${delivery.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.token ? { 'x-order-token': init.token } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const rotation = (supplier: string, body: unknown, key = operator.key) =>
    http(`/v1/suppliers/${supplier}/rotation`, { method: 'PUT', key, body });
  const deliver = async () => {
    const orderId = randomUUID();
    await upstream.publish('stock.committed.v1', {
      orderId,
      sku: 'GIFT-10',
      quantity: 2,
      reservationId: randomUUID(),
      source: 'supplier',
      suppliers: ['alpha', 'beta'],
    });
    const [event] = await probe.waitFor(
      (m) => m.key === orderId && m.value!.includes('delivery.succeeded.v1'),
      1,
    );
    return { orderId, succeeded: JSON.parse(event.value!).data };
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

  it('given bad rotation requests, then 403 / 400 / 404 with the reason', async () => {
    expect((await rotation('alpha', { inRotation: false, reason: 'flaky' }, reader.key)).status).toBe(403);
    const bad = await rotation('alpha', { inRotation: 'no', reason: '' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/inRotation/);
    expect((await rotation('gamma', { inRotation: false, reason: 'who?' })).status).toBe(404);
  });

  it('given the primary taken out of rotation, then orders are bought from the backup until it is back', async () => {
    const out = await rotation('alpha', { inRotation: false, reason: 'supplier says maintenance' });
    expect(out.status).toBe(200);
    const suppliers = (await (await http('/v1/suppliers', { key: reader.key })).json()) as any[];
    expect(suppliers.find((s) => s.supplier === 'alpha')).toMatchObject({
      state: 'closed',
      inRotation: false,
      rotationChange: { reason: 'supplier says maintenance', changedBy: 'e2e-operator' },
    });
    expect((await deliver()).succeeded.servedBy).toBe('beta');

    await rotation('alpha', { inRotation: true, reason: 'maintenance over' });
    expect((await deliver()).succeeded.servedBy).toBe('alpha');
  });

  it('given the order token, then the buyer sees nothing before delivery and exactly their keys after', async () => {
    const pending = randomUUID();
    expect(
      await (await http(`/v1/deliveries/${pending}/keys`, { token: tokens.issue(pending) })).json(),
    ).toEqual({ orderId: pending, delivered: false });

    const { orderId, succeeded } = await deliver();
    // No token, another order's token: the one answer for every wrong link, whatever exists.
    const noToken = await http(`/v1/deliveries/${orderId}/keys`);
    const othersToken = await http(`/v1/deliveries/${orderId}/keys`, { token: tokens.issue(pending) });
    const invalid = {
      type: 'tag:keyflow.dev,2026:problem:ORDER_LINK.INVALID',
      title: 'Not Found',
      status: 404,
      code: 'ORDER_LINK.INVALID',
      detail: 'no order matches this link: open the status link from your checkout or email',
    };
    expect([noToken.status, await noToken.json()]).toEqual([404, invalid]);
    expect([othersToken.status, await othersToken.json()]).toEqual([404, invalid]);
    const answer = await http(`/v1/deliveries/${orderId}/keys`, { token: tokens.issue(orderId) });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = (await answer.json()) as any;
    const sent = await Promise.all(
      succeeded.keys.map((k: { sealed: string }) => open(k.sealed, notificationKeys.privateKey)),
    );
    expect(body).toMatchObject({ orderId, delivered: true });
    expect(body.keys.map((k: { code: string }) => k.code).sort()).toEqual(sent.sort());
    // Keys never reach delivery's logs, even on the request that showed them.
    await eventually(async () => (delivery.output.includes(orderId) ? true : undefined));
    for (const code of sent) expect(delivery.output).not.toContain(code);

    // Wrong links are limited per client address (the console passes the buyer's on), never per order:
    // a guesser at this order is stopped, its buyer is not.
    const from = (address: string, token: string) =>
      fetch(`${delivery.url}/v1/deliveries/${orderId}/keys`, {
        headers: { 'x-order-token': token, 'x-forwarded-for': address },
      });
    // the two wrong links above came from this test's own address; the guesser has one of its own
    for (let i = 0; i < 5; i++) expect((await from('203.0.113.9', `guess-${i}`)).status).toBe(404);
    const blocked = await from('203.0.113.9', tokens.issue(orderId));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await from('198.51.100.4', tokens.issue(orderId))).status);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
