import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type BrowserContext, chromium, type Page } from 'playwright-core';

import { eventually, metricValue } from '@keyflow/testing';

import { FullStack } from './full-stack';

const ROOT = path.resolve(__dirname, '../../..');
const SCREENSHOTS = path.join(ROOT, '.local', 'test-results', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SKU = 'GIFT-5';

/**
 * The console in a real browser (Debian's chromium driven by playwright-core) against every service
 * running as its own process: an order stuck by a supplier outage is found, inspected and re-delivered
 * from the console, and the buyer's page shows the keys only once they are delivered.
 */
describe('operator console and buyer status page, in a browser', () => {
  let stack: FullStack;
  let browser: BrowserContext;
  let operatorPage: Page;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const timeline = (orderId: string) =>
    stack.call(`${stack.orders.url}/v1/orders/${orderId}/timeline`, 'GET');
  const faults = (supplier: string, outage: boolean) =>
    fetch(`${stack.suppliers.url}/suppliers/${supplier}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outage }),
    });

  async function checkoutAndPay(): Promise<{ orderId: string; accessToken: string; statusPageUrl: string }> {
    const checkout = await fetch(`${stack.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: SKU, quantity: 1, email: 'buyer@example.com', paymentChannel: 'alipay' }),
    });
    expect(checkout.status).toBe(201);
    const placed = (await checkout.json()) as {
      orderId: string;
      payUrl: string;
      accessToken: string;
      statusPageUrl: string;
    };
    const cashier = await eventually(async () => {
      const response = await fetch(placed.payUrl, { redirect: 'manual' });
      return response.status === 302 ? response.headers.get('location')! : undefined;
    });
    const paymentId = cashier.split('/').pop()!;
    expect((await fetch(`${stack.sandbox.url}/sandbox/pay/${paymentId}`, { method: 'POST' })).ok).toBe(true);
    return placed;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await FullStack.create();
    await stack.start();
    await stack.call(`${stack.orders.url}/v1/products/${SKU}`, 'PUT', {
      title: 'Gift card 5',
      unitPriceMinor: 500,
      currency: 'CNY',
    });
    await stack.call(`${stack.inventory.url}/v1/skus/${SKU}`, 'PUT', {
      source: 'supplier',
      suppliers: ['primary', 'backup'],
      supplierSku: 'SANDBOX-GIFT-5',
      lowStockThreshold: 0,
    });
    browser = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), 'console-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    operatorPage = await browser.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('given no key, then nothing loads: the login page asks for one and refuses a wrong one', async () => {
    const page = operatorPage;
    await page.goto(`${stack.console.url}/`);
    await page.getByTestId('login-key').waitFor();
    expect((await fetch(`${stack.console.url}/api/orders/v1/dashboard/overview`)).status).toBe(401);
    // Even with a good key the console reaches only the operator APIs it has screens for.
    const withKey = { headers: { authorization: `Bearer ${stack.operator.key}` } };
    for (const path of [
      'orders/v1/admin/read-models/rebuild',
      'orders/metrics',
      'orders/v1/orders/%2e%2e/admin',
    ]) {
      expect((await fetch(`${stack.console.url}/api/${path}`, { ...withKey, method: 'POST' })).status).toBe(
        404,
      );
    }
    expect((await fetch(`${stack.console.url}/api/orders/v1/dashboard/overview`, withKey)).status).toBe(200);
    await page.getByTestId('login-key').fill('kf_not_a_real_key');
    await page.getByTestId('login-submit').click();
    await page.getByText('That key is not accepted').waitFor();
    await shot(page, '01-login-refused');
    await page.getByTestId('login-key').fill(stack.operator.key);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('card-backlog').waitFor();
  });

  it('given a supplier outage, when the operator re-delivers the stuck order, then it completes and the buyer sees the keys only then', async () => {
    await faults('primary', true);
    await faults('backup', true);
    const { orderId, accessToken, statusPageUrl } = await checkoutAndPay();
    expect(statusPageUrl).toBe(`${stack.console.url}/order/${orderId}?token=${accessToken}`);
    await eventually(async () => ((await timeline(orderId)).status === 'escalated' ? true : undefined), {
      timeoutMs: 60000,
      what: `order ${orderId} to be escalated after the outage`,
    });

    // The buyer, before delivery: where the order is, and no keys.
    const buyer = await browser.newPage();
    await buyer.goto(statusPageUrl);
    await buyer.getByTestId('buyer-headline').waitFor();
    expect(buyer.url()).not.toContain('token='); // moved out of the address bar at once
    expect(await buyer.getByTestId('buyer-headline').textContent()).toBe('A person is handling your order');
    expect(await buyer.getByTestId('buyer-keys').count()).toBe(0);
    expect(await buyer.getByText('help@console-e2e.example').count()).toBe(1);
    await shot(buyer, '02-buyer-before-delivery');

    // The operator: overview and delay map, then the stuck order through the filters.
    const page = operatorPage;
    await page.goto(`${stack.console.url}/`);
    await page
      .getByTestId('card-backlog')
      .getByText(/oldest paid/)
      .waitFor();
    await page.locator('[data-testid="delay-map"] svg g[data-stage="delivery"] rect').first().waitFor();
    await page.getByTestId('filter-age').selectOption('0s');
    await page.getByTestId('filter-supplier').fill('primary');
    await page.getByTestId('filter-sku').fill(SKU);
    await page.getByTestId('filter-apply').click();
    const link = page.locator(`a[href="/orders/${orderId}"]`);
    await link.waitFor();
    await shot(page, '03-overview-stuck-orders');
    await link.click();

    // The order page: the timeline shows where it broke, with a link to its trace.
    await page.getByTestId('order-status').getByText('escalated').waitFor();
    const delivery = page.getByTestId('stage-delivery');
    expect(await delivery.getAttribute('data-status')).toBe('failed');
    expect(await delivery.textContent()).toMatch(/primary/);
    expect(await page.getByTestId('trace-link').getAttribute('href')).toContain(
      `annotationQuery=order.id%3D${orderId}`,
    );
    await shot(page, '04-order-timeline-stuck');

    // The outage ends; the operator re-delivers, confirms, and watches it complete.
    await faults('primary', false);
    await faults('backup', false);
    // As an operator would on the Suppliers screen: wait until no breaker is open any more.
    await eventually(
      async () => {
        const states = await stack.call(`${stack.delivery.url}/v1/suppliers`, 'GET');
        return states.every((s: { state: string }) => s.state !== 'open') ? true : undefined;
      },
      { timeoutMs: 30000, what: 'the suppliers’ breakers to leave the open state' },
    );
    await page.getByTestId('redeliver').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-yes').click();
    await page.getByText('Re-delivery requested (retry).').waitFor();
    await page
      .getByTestId('order-status')
      .getByText(/delivered|completed/)
      .waitFor({ timeout: 60000 });
    expect(await page.getByTestId('stage-delivery').getAttribute('data-status')).toBe('done');
    // Bars are drawn to scale: the outage-long delivery outgrows the sub-second risk check.
    const barWidth = async (stage: string) =>
      (await page.locator(`[data-testid="stage-${stage}"] .bar`).boundingBox())!.width;
    expect(await barWidth('delivery')).toBeGreaterThan(3 * (await barWidth('risk')));
    await shot(page, '05-order-timeline-delivered');

    // The buyer, after delivery: exactly the delivered keys.
    await buyer.reload();
    await buyer.getByTestId('buyer-keys').waitFor({ timeout: 30000 });
    const shown = await buyer.locator('[data-testid="buyer-keys"] code').allTextContents();
    const fromDelivery = (await (
      await fetch(`${stack.delivery.url}/v1/deliveries/${orderId}/keys`, {
        headers: { 'x-order-token': accessToken },
      })
    ).json()) as { keys: Array<{ code: string }> };
    expect(shown).toEqual(fromDelivery.keys.map((k: { code: string }) => k.code));
    expect(shown).toHaveLength(1);
    await shot(buyer, '06-buyer-after-delivery');
    // The keys went to the browser, and to no log of any process on the way.
    for (const service of stack.services)
      for (const code of shown) expect(service.output).not.toContain(code);
    await buyer.close();
  });

  it('given wrong buyer links through the console, then an unknown order and a wrong token answer alike, and a guessing address is stopped while the buyer is served', async () => {
    const { orderId, accessToken } = await checkoutAndPay();
    const buyerApi = (id: string, token: string, address: string) =>
      fetch(`${stack.console.url}/api/buyer/orders/${id}`, {
        headers: { 'x-order-token': token, 'x-forwarded-for': address },
      });
    const answer = async (response: Response) => [response.status, await response.json()];
    const unknown = await answer(await buyerApi(randomUUID(), accessToken, '198.51.100.20'));
    const wrong = await answer(await buyerApi(orderId, `${accessToken.slice(0, -2)}xx`, '198.51.100.21'));
    expect(unknown).toEqual([404, expect.objectContaining({ code: 'ORDER_LINK.INVALID' })]);
    expect(wrong).toEqual(unknown);
    // orders limits wrong links by the buyer's address, which the console passes on (20 by default).
    for (let i = 0; i < 20; i++)
      expect((await buyerApi(orderId, `guess-${i}`, '203.0.113.20')).status).toBe(404);
    const blocked = await buyerApi(orderId, accessToken, '203.0.113.20');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    expect((await buyerApi(orderId, accessToken, '198.51.100.22')).status).toBe(200);
  });

  it('given the other screens, then suppliers go out of rotation and back, keys import with progress, reviews list', async () => {
    const page = operatorPage;
    await page.goto(`${stack.console.url}/suppliers`);
    await page.getByTestId('rotation-primary').getByText('yes').waitFor();
    await page.getByTestId('toggle-primary').click();
    await page.getByTestId('confirm-reason').fill('supplier announced maintenance');
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('rotation-primary').getByText('no').waitFor();
    await shot(page, '07-suppliers-out-of-rotation');
    const suppliers = await stack.call(`${stack.delivery.url}/v1/suppliers`, 'GET');
    expect(suppliers.find((s: { supplier: string }) => s.supplier === 'primary').inRotation).toBe(false);
    await page.getByTestId('toggle-primary').click();
    await page.getByTestId('confirm-reason').fill('maintenance over');
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('rotation-primary').getByText('yes').waitFor();

    await stack.call(`${stack.inventory.url}/v1/skus/POOL-1`, 'PUT', {
      source: 'pool',
      lowStockThreshold: 5,
    });
    await page.goto(`${stack.console.url}/stock`);
    await page
      .getByTestId('low-stock')
      .getByText(/POOL-1/)
      .waitFor();
    await page.getByTestId('import-sku').fill('POOL-1');
    const keys = Array.from({ length: 3 }, (_, i) => `E2E-${Date.now()}-${i}`);
    await page.getByTestId('import-text').fill(keys.join('\n'));
    await page.getByTestId('import-submit').click();
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId('import-status').getByText('3 of 3 sent · 3 imported').waitFor();
    await shot(page, '08-stock-import');
    const levels = await stack.call(`${stack.inventory.url}/v1/stock`, 'GET');
    expect(levels.find((l: { sku: string }) => l.sku === 'POOL-1').available).toBe(3);

    await page.goto(`${stack.console.url}/risk`);
    await page
      .getByTestId('reviews')
      .getByText(/Nothing here|Approve/)
      .first()
      .waitFor();

    // The orders above passed risk first (small, trusted channel): the operator closes one audit here.
    const audits = (await stack.call(`${stack.risk.url}/v1/risk/audits?limit=200`, 'GET')).items;
    expect(audits.length).toBeGreaterThan(0);
    const audited = audits[0].orderId as string;
    await page.getByTestId(`audit-confirm-${audited}`).click();
    await page.getByTestId('confirm-reason').fill('known buyer, normal basket');
    await page.getByTestId('confirm-yes').click();
    await page.getByTestId(`audit-confirm-${audited}`).waitFor({ state: 'detached' });
    await shot(page, '09-audit-confirmed');
    const after = (await stack.call(`${stack.risk.url}/v1/risk/audits?limit=200`, 'GET')).items;
    expect(after.map((a: { orderId: string }) => a.orderId)).not.toContain(audited);
    expect(after).toHaveLength(audits.length - 1);

    await page.goto(`${stack.console.url}/suppliers`);
    await page.getByTestId('abandoned-purchases').getByText('To reconcile').waitFor();
  });

  it('serves its own /metrics like every service, under the standard process metric names', async () => {
    const text = await (await fetch(`${stack.console.url}/metrics`)).text();
    expect(metricValue(text, 'process_cpu_seconds_total', { service: 'console' })).toBeGreaterThan(0);
    expect(metricValue(text, 'keyflow_http_requests_total', { service: 'console' })).toBeGreaterThan(0);
    expect(text).not.toContain('keyflow_process_');
  });
});
