import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Topics } from '@keyflow/contracts';
import { seal } from '@keyflow/sealed-box';
import { formatApiKeyRecord, generateApiKey } from '@keyflow/service-kit';
import {
  eventually,
  OrderSource,
  ServiceProcess,
  SmtpSink,
  testDatabaseUrl,
  testPort,
  TopicProbe,
  uniqueSchemaName,
  withPgClient,
} from '@keyflow/testing';

import { verifyWebhookSignature } from '../src/notify/domain/webhook-signature';
import { Upstream } from './upstream';
import { WebhookReceiver } from './webhook-receiver';

const ROOT = path.resolve(__dirname, '../../..');
const reader = generateApiKey('e2e-reader', ['read']);
const merchantSecret = `whsec_${randomBytes(16).toString('hex')}`;
const sealing = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const secretsDir = mkdtempSync(path.join(tmpdir(), 'notification-e2e-'));
const privateKeyFile = path.join(secretsDir, 'notification-sealing-private.pem');
writeFileSync(privateKeyFile, sealing.privateKey, { mode: 0o600 });
const run = randomBytes(3).toString('hex');
const parsed = (value: string | null): any => JSON.parse(value ?? '{}');

/** notification as a real process, with a real SMTP server and webhook endpoints; upstream played by the test. */
describe('notification service', () => {
  const smtp = new SmtpSink();
  const hooks = new WebhookReceiver();
  const orders = new OrderSource(uniqueSchemaName('ntf_orders'));
  const upstream = new Upstream();
  const port = testPort();
  let env: Record<string, string>;
  let notification: ServiceProcess;
  let probe: TopicProbe;

  const deliver = async (orderId: string, keys: string[], opts: { deliveredAt?: string; id?: string } = {}) =>
    upstream.publish(
      'delivery.succeeded.v1',
      orderId,
      {
        orderId,
        deliveryId: randomUUID(),
        servedBy: 'pool',
        itemCount: keys.length,
        attempts: 1,
        deliveredAt: opts.deliveredAt ?? new Date().toISOString(),
        keys: await Promise.all(
          keys.map(async (key) => ({ keyId: randomUUID(), sealed: await seal(key, sealing.publicKey) })),
        ),
      },
      opts.id ? { id: opts.id } : {},
    );
  const sentEvents = (orderId: string, purpose = 'goods') =>
    probe
      .where((m) => m.key === orderId)
      .map((m) => parsed(m.value))
      .filter((e) => e.type === 'notification.sent.v1' && e.data.purpose === purpose);
  const waitForSent = (orderId: string, purpose = 'goods') =>
    eventually(async () => sentEvents(orderId, purpose)[0], {
      timeoutMs: 30000,
      what: `${purpose} sent for ${orderId}`,
    });
  const waitForMails = (orderId: string, count = 1) =>
    eventually(async () => (smtp.for(orderId).length >= count ? smtp.for(orderId) : undefined), {
      timeoutMs: 30000,
      what: `${count} email(s) for ${orderId}`,
    });
  const api = (orderId: string) =>
    fetch(`${notification.url}/v1/notifications/${orderId}`, {
      headers: { authorization: `Bearer ${reader.key}` },
    });
  const quietly = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    await withPgClient((client) => client.query('DROP SCHEMA IF EXISTS notification CASCADE'));
    await Promise.all([smtp.start(), hooks.start(), orders.start(), upstream.start()]);
    probe = await new TopicProbe([Topics.notifications]).start();
    env = {
      DATABASE_URL: testDatabaseUrl(),
      OPERATOR_API_KEYS: formatApiKeyRecord(reader.record),
      NOTIFICATION_SEALING_PRIVATE_KEY_FILE: privateKeyFile,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMTP_FROM: 'Test Shop <shop@example.com>',
      MERCHANT_WEBHOOK_URL: hooks.url('/merchant'),
      MERCHANT_WEBHOOK_SECRET: merchantSecret,
      OPERATOR_WEBHOOKS: JSON.stringify([
        { kind: 'slack', url: hooks.url('/slack') },
        { kind: 'telegram', url: hooks.url('/telegram'), chatId: '-1001' },
      ]),
      NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS: 'true',
      NOTIFICATION_BUYER_CHANNELS: 'email,webhook',
      NOTIFICATION_MAX_ATTEMPTS_PER_CHANNEL: '2',
      NOTIFICATION_RETRY_BASE_MS: '300',
      NOTIFICATION_WORKER_POLL_MS: '200',
      NOTIFICATION_SEND_TIMEOUT_MS: '2000',
      NOTIFICATION_SEND_LEASE_SECONDS: '4',
      NOTIFICATION_TIMEZONE: 'Asia/Shanghai',
    };
    notification = await new ServiceProcess({ entry: 'apps/notification/src/main.ts', port, env }).start();
  });

  afterAll(async () => {
    await probe?.stop();
    await notification?.stop();
    await upstream.stop();
    await orders.stop().catch(() => undefined);
    await withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS "${orders.schema}" CASCADE`));
    await Promise.all([smtp.stop(), hooks.stop()]);
  });

  it('refuses a private merchant webhook URL at start with a clear config error (exit 78)', async () => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/notification/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...env,
        SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'),
        PORT: String(testPort()),
        NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(output).toContain('MERCHANT_WEBHOOK_URL: host 127.0.0.1 is a loopback or private address');
    expect(output).not.toContain(merchantSecret);
  });

  it('sends a delivered order as exactly one email with the keys and one signed merchant webhook, even when the delivery overtakes the order and comes twice', async () => {
    const email = `buyer-${run}-1@example.com`;
    const orderId = randomUUID();
    const keys = [`KEY-${run}-AAAA-0001`, `KEY-${run}-BBBB-0002`];
    // delivery.v1 overtakes orders.v1: the goods wait durably for the buyer's facts.
    const deliveryEventId = await deliver(orderId, keys);
    await eventually(
      async () => {
        const response = await api(orderId);
        if (response.status !== 200) return undefined;
        const body: any = await response.json();
        return body.notifications.every((n: any) => n.status === 'awaiting-facts') ? body : undefined;
      },
      { timeoutMs: 20000, what: 'goods awaiting the order facts' },
    );
    expect(smtp.for(orderId)).toHaveLength(0);

    // Now the order's facts arrive: the waiting goods go out.
    await orders.placeOrderCommitted({ orderId, sku: `STEAM-${run}`, quantity: 2, buyer: { email } });

    const [mail] = await waitForMails(orderId);
    expect(mail!.to).toMatchObject({ text: email });
    expect(mail!.subject).toBe(`Your order ${orderId.slice(0, 8)}: STEAM-${run} × 2`);
    for (const key of keys) expect(mail!.text).toContain(key);
    expect(mail!.text).toContain('How to redeem');
    expect(mail!.text).not.toMatch(/delayed/i);
    expect(mail!.messageId).toMatch(/@keyflow\.notification>?$/);

    const sent = await waitForSent(orderId);
    expect(sent.data).toMatchObject({
      orderId,
      channel: 'email',
      purpose: 'goods',
      attempts: 1,
      late: false,
    });

    const [merchant] = await eventually(async () => {
      const found = hooks.at('/merchant', (w) => w.body.orderId === orderId);
      return found.length ? found : undefined;
    });
    const signature = String(merchant!.headers['x-keyflow-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifyWebhookSignature(
        signature,
        merchant!.raw,
        Buffer.from(merchantSecret),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);
    expect(merchant!.body).toMatchObject({ type: 'order.goods-delivered', orderId, late: false });
    for (const key of keys) expect(merchant!.raw).not.toContain(key);

    // The same delivery redelivered (same event id) and published again (a new id): still one email.
    await deliver(orderId, keys, { id: deliveryEventId });
    await deliver(orderId, keys);
    await quietly(2500);
    expect(smtp.for(orderId)).toHaveLength(1);
    expect(hooks.at('/merchant', (w) => w.body.orderId === orderId)).toHaveLength(1);

    const view: any = await (await api(orderId)).json();
    const raw = JSON.stringify(view);
    for (const key of keys) expect(raw).not.toContain(key);
    expect(raw).not.toContain('sb1.');
    expect(view.notifications).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recipient: 'buyer',
          purpose: 'goods',
          status: 'sent',
          sentChannel: 'email',
          attempts: 1,
        }),
        expect.objectContaining({ recipient: 'merchant', status: 'sent', sentChannel: 'webhook' }),
      ]),
    );
    const stored = await withPgClient(
      async (c) => (await c.query('SELECT * FROM notification.notifications')).rows,
    );
    for (const key of keys) expect(JSON.stringify(stored)).not.toContain(key);
    expect(notification.output).not.toContain(keys[0]);
    expect((await fetch(`${notification.url}/v1/notifications/${orderId}`)).status).toBe(401);
  });

  it('sends the same keys again once per operator resend request, never to the merchant', async () => {
    const email = `buyer-${run}-resend@example.com`;
    const orderId = randomUUID();
    const keys = [`KEY-${run}-RSND-0001`];
    await orders.placeOrderCommitted({ orderId, sku: `STEAM-${run}`, quantity: 1, buyer: { email } });
    await deliver(orderId, keys);
    await waitForMails(orderId, 1);
    const merchantBefore = hooks.at('/merchant', (w) => w.body.orderId === orderId).length;

    const requestId = randomUUID();
    const resend = {
      orderId,
      deliveryId: randomUUID(),
      requestId,
      requestedAt: new Date().toISOString(),
      keys: await Promise.all(
        keys.map(async (key) => ({ keyId: randomUUID(), sealed: await seal(key, sealing.publicKey) })),
      ),
    };
    const id = await upstream.publish('delivery.resend-requested.v1', orderId, resend);
    await upstream.publish('delivery.resend-requested.v1', orderId, resend, { id }); // redelivered message
    await upstream.publish('delivery.resend-requested.v1', orderId, resend); // republished, same request
    const mails = await waitForMails(orderId, 2);
    expect(mails[1]!.text).toContain(keys[0]);
    const sent = await waitForSent(orderId, 'goods-resend');
    expect(sent.data).toMatchObject({ channel: 'email', purpose: 'goods-resend', late: false });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.for(orderId)).toHaveLength(2);
    expect(hooks.at('/merchant', (w) => w.body.orderId === orderId)).toHaveLength(merchantBefore);
  });

  it('says so plainly when the goods go out long after delivery, and marks the notification late', async () => {
    const orderId = randomUUID();
    await orders.placeOrderCommitted({
      orderId,
      sku: `STEAM-${run}`,
      quantity: 1,
      buyer: { email: `late-${run}@example.com` },
    });
    await deliver(orderId, [`KEY-${run}-LATE`], {
      deliveredAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
    });
    const [mail] = await waitForMails(orderId);
    expect(mail!.subject).toMatch(/^\[Delayed\] /);
    expect(mail!.text).toMatch(/this email was delayed by 2 h( \d+ min)?\. Sorry for the wait\./);
    expect(mail!.text).toContain(`KEY-${run}-LATE`);
    expect((await waitForSent(orderId)).data).toMatchObject({ late: true, channel: 'email' });
  });

  it('sends one honest status email for an SLA tier-1 delay', async () => {
    const orderId = randomUUID();
    await orders.placeOrderCommitted({
      orderId,
      sku: `STEAM-${run}`,
      quantity: 1,
      buyer: { email: `wait-${run}@example.com` },
    });
    const paidAt = new Date(Date.now() - 6 * 60_000).toISOString();
    const delayed = {
      orderId,
      tier: 1,
      stage: 'delivery',
      waitingReason: 'primary supplier X down, using backup Y',
      paidAt,
      waitingSince: paidAt,
      expectedBy: new Date(Date.now() + 10 * 60_000).toISOString(),
    };
    await upstream.publish('order.delayed.v1', orderId, delayed);
    await upstream.publish('order.delayed.v1', orderId, delayed);
    const [mail] = await waitForMails(orderId);
    expect(mail!.text).toContain('We are on it');
    expect(mail!.text).toContain('Expected by');
    expect(mail!.text).not.toContain('supplier X');
    expect((await waitForSent(orderId, 'status-update')).data).toMatchObject({
      channel: 'email',
      late: false,
    });
    await quietly(1500);
    expect(smtp.for(orderId)).toHaveLength(1);
  });

  it('tells operators about alerts in each bot’s JSON shape, once per occurrence', async () => {
    const alertKey = `sla.tier2.${run}`;
    const raised = {
      alertKey,
      severity: 'critical',
      summary: '6 paid orders undelivered for 10 min',
      raisedAt: new Date().toISOString(),
    };
    const id = await upstream.publish('alert.raised.v1', alertKey, raised);
    await upstream.publish('alert.raised.v1', alertKey, raised, { id });
    const [slack] = await eventually(async () => {
      const found = hooks.at('/slack', (w) => String(w.body.text).includes(alertKey));
      return found.length ? found : undefined;
    });
    expect(slack!.body.text).toContain('🚨 Alert');
    expect(slack!.body.text).toContain('6 paid orders undelivered');
    const [telegram] = await eventually(async () => {
      const found = hooks.at('/telegram', (w) => String(w.body.text).includes(alertKey));
      return found.length ? found : undefined;
    });
    expect(telegram!.body).toMatchObject({ chat_id: '-1001' });
    await quietly(1500);
    expect(hooks.at('/slack', (w) => String(w.body.text).includes(alertKey))).toHaveLength(1);
  });

  it('falls back to the merchant webhook when SMTP is down, recording every attempt', async () => {
    const orderId = randomUUID();
    const smtpPort = smtp.port;
    await smtp.stop();
    try {
      await orders.placeOrderCommitted({
        orderId,
        sku: `STEAM-${run}`,
        quantity: 1,
        buyer: { email: `down-${run}@example.com` },
      });
      await deliver(orderId, [`KEY-${run}-DOWN`]);
      const sent = await waitForSent(orderId);
      expect(sent.data).toMatchObject({ channel: 'webhook', purpose: 'goods', attempts: 3 });
      const notice = hooks.at(
        '/merchant',
        (w) => w.body.orderId === orderId && w.body.type === 'order.buyer-notice',
      );
      expect(notice).toHaveLength(1);
      expect(notice[0]!.body.fallbackFrom).toEqual(['email']);
      expect(notice[0]!.raw).not.toContain(`KEY-${run}-DOWN`);
      const view: any = await (await api(orderId)).json();
      const buyer = view.notifications.find((n: any) => n.recipient === 'buyer');
      expect(buyer).toMatchObject({
        status: 'sent',
        sentChannel: 'webhook',
        channels: ['email', 'webhook'],
        attempts: 3,
      });
      expect(buyer.attemptLog.map((a: any) => [a.channel, a.outcome])).toEqual([
        ['email', 'failed'],
        ['email', 'failed'],
        ['webhook', 'sent'],
      ]);
      expect(buyer.attemptLog[0].error).toMatch(/^smtp /);
    } finally {
      await smtp.start(smtpPort);
    }
    expect(smtp.for(orderId)).toHaveLength(0);
  });

  it('never emails twice when killed -9 right after claiming the send, and sends once after the restart', async () => {
    await notification.stop();
    const crashing = await new ServiceProcess({
      entry: 'apps/notification/src/main.ts',
      port,
      env: { ...env, KEYFLOW_CRASH_AT: 'notification.after-claim' },
    }).start();
    const orderId = randomUUID();
    await orders.placeOrderCommitted({
      orderId,
      sku: `STEAM-${run}`,
      quantity: 1,
      buyer: { email: `crash-${run}@example.com` },
    });
    await deliver(orderId, [`KEY-${run}-CRASH`]);
    expect(await crashing.exited(30000)).toBe('SIGKILL');
    const claimed = await withPgClient(
      async (c) =>
        (
          await c.query(
            `SELECT status FROM notification.notifications WHERE order_id = $1 AND recipient = 'buyer'`,
            [orderId],
          )
        ).rows,
    );
    expect(claimed).toEqual([{ status: 'sending' }]);

    notification = await new ServiceProcess({ entry: 'apps/notification/src/main.ts', port, env }).start();
    await waitForMails(orderId);
    await waitForSent(orderId);
    await quietly(2500);
    expect(smtp.for(orderId)).toHaveLength(1);
    const view: any = await (await api(orderId)).json();
    const buyer = view.notifications.find((n: any) => n.recipient === 'buyer');
    expect(buyer.attemptLog.map((a: any) => a.outcome)).toEqual(['in-doubt', 'sent']);
  });
});
