import { randomUUID } from 'node:crypto';

import { compileErrors, validate } from '@readme/openapi-parser';

import { type ServiceProcess } from '@keyflow/testing';

import { FullStack } from './full-stack';

/** Each service, and an operator endpoint of it that must refuse a request without an API key. */
const SERVICES: Array<[string, (stack: FullStack) => ServiceProcess, string | undefined]> = [
  ['orders', (s) => s.orders, `/v1/orders/${randomUUID()}/timeline`],
  ['payment-callback', (s) => s.payments, undefined], // callbacks and pay links only: no operator routes
  ['inventory', (s) => s.inventory, '/v1/skus'],
  ['risk-control', (s) => s.risk, '/v1/risk/reviews'],
  ['delivery', (s) => s.delivery, '/v1/suppliers'],
  ['notification', (s) => s.notification, `/v1/notifications/${randomUUID()}`],
  ['console', (s) => s.console, '/api/orders/v1/orders'],
];

/**
 * Every HTTP service and the console, each started as its own process (one at a time, so a busy machine
 * starts them within their readiness timeout): its OpenAPI 3.1 document at /docs-json passes a standard
 * validator, Swagger UI answers at /docs, and its errors are RFC 9457 problem details with
 * WWW-Authenticate on 401 and no X-Powered-By.
 */
describe('API documents and error shape of every service (real started services)', () => {
  let stack: FullStack;

  beforeAll(async () => {
    stack = await FullStack.create();
    await stack.sandbox.start(); // payment-callback reads the provider keys the sandbox writes
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(SERVICES)(
    '%s serves a valid OpenAPI 3.1 document, Swagger UI, and problem details',
    async (name, pick, operatorPath) => {
      const service = pick(stack);
      await service.start();
      try {
        const response = await fetch(`${service.url}/docs-json`);
        expect(response.status).toBe(200);
        const document = (await response.json()) as any;
        expect(document.openapi).toBe('3.1.0');
        const result = await validate(structuredClone(document));
        expect(result.valid ? '' : compileErrors(result)).toBe('');
        expect(document.components.schemas.ProblemDetails).toBeDefined();

        const ui = await fetch(`${service.url}/docs`);
        expect(ui.status).toBe(200);
        expect(await ui.text()).toContain('swagger-ui');

        if (operatorPath) {
          const refused = await fetch(`${service.url}${operatorPath}`);
          expect(refused.status).toBe(401);
          expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="keyflow"');
          expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(refused.headers.get('x-powered-by')).toBeNull();
          const body = (await refused.json()) as any;
          expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
          expect(body).toMatchObject({ status: 401, title: 'Unauthorized' });
        }
        if (name === 'orders') await ordersSpecifics(service);
      } finally {
        await service.stop();
      }
    },
    300_000,
  );
});

/** The checkout DTO's rules in the document, the API key schemes, and a validation problem. */
async function ordersSpecifics(orders: ServiceProcess): Promise<void> {
  const document = (await (await fetch(`${orders.url}/docs-json`)).json()) as any;
  const checkout = document.paths['/v1/orders'].post;
  const ref = checkout.requestBody.content['application/json'].schema.$ref as string;
  const dto = document.components.schemas[ref.split('/').pop()!];
  expect(dto.required).toEqual(expect.arrayContaining(['sku', 'quantity', 'email', 'paymentChannel']));
  expect(dto.properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
  expect(document.components.securitySchemes).toMatchObject({
    apiKey: { type: 'http', scheme: 'bearer' },
    apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
  });
  expect(document.paths['/v1/orders/{id}/timeline'].get.security).toEqual([
    { apiKey: [] },
    { apiKeyHeader: [] },
  ]);
  expect(checkout.security).toBeUndefined();

  const invalid = await fetch(`${orders.url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'STEAM-50', quantity: 0, email: 'not-an-email', paymentChannel: 'alipay' }),
  });
  expect(invalid.status).toBe(400);
  expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(invalid.headers.get('x-powered-by')).toBeNull();
  const problem = (await invalid.json()) as any;
  expect(problem).toMatchObject({
    type: 'tag:keyflow.dev,2026:problem:REQUEST.INVALID',
    status: 400,
    title: 'Bad Request',
    code: 'REQUEST.INVALID',
  });
  expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
    expect.arrayContaining(['#/quantity', '#/email']),
  );

  const malformed = await fetch(`${orders.url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"sku":',
  });
  expect(malformed.status).toBe(400);
  expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}
