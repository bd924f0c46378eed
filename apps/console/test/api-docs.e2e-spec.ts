import { randomUUID } from 'node:crypto';

import { compileErrors, validate } from '@readme/openapi-parser';

import { FullStack } from './full-stack';

/**
 * Every HTTP service and the console, each started as its own process: its OpenAPI 3.1 document at
 * /docs-json passes a standard validator, Swagger UI answers at /docs, and its errors are RFC 9457
 * problem details.
 */
describe('API documents and error shape of every service (real started services)', () => {
  let stack: FullStack;
  const services = () => ({
    orders: stack.orders,
    'payment-callback': stack.payments,
    inventory: stack.inventory,
    'risk-control': stack.risk,
    delivery: stack.delivery,
    notification: stack.notification,
    console: stack.console,
  });

  beforeAll(async () => {
    stack = await FullStack.create();
    await stack.start();
  }, 600_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('serves a valid OpenAPI 3.1 document at /docs-json and Swagger UI at /docs', async () => {
    for (const [name, service] of Object.entries(services())) {
      const response = await fetch(`${service.url}/docs-json`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
      const document = (await response.json()) as any;
      expect(document.openapi).toBe('3.1.0');
      const result = await validate(structuredClone(document));
      expect({ name, errors: result.valid ? '' : compileErrors(result) }).toEqual({ name, errors: '' });
      expect(document.components.schemas.ProblemDetails).toBeDefined();

      const ui = await fetch(`${service.url}/docs`);
      expect({ name, status: ui.status }).toEqual({ name, status: 200 });
      expect(await ui.text()).toContain('swagger-ui');
    }
  });

  it("states the DTOs' validation rules and the API key schemes", async () => {
    const document = (await (await fetch(`${stack.orders.url}/docs-json`)).json()) as any;
    const checkout = document.paths['/v1/orders'].post;
    const ref = checkout.requestBody.content['application/json'].schema.$ref as string;
    const dto = document.components.schemas[ref.split('/').pop()!];
    expect(dto.required).toEqual(expect.arrayContaining(['sku', 'quantity', 'email', 'paymentChannel']));
    expect(dto.properties.quantity).toMatchObject({ type: 'integer', minimum: 1 });
    expect(document.components.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
    });
    const timeline = document.paths['/v1/orders/{id}/timeline'].get;
    expect(timeline.security).toEqual([{ apiKey: [] }, { apiKeyHeader: [] }]);
    expect(checkout.security).toBeUndefined();
  });

  it('answers errors as application/problem+json, with WWW-Authenticate on 401 and no X-Powered-By', async () => {
    const invalid = await fetch(`${stack.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sku: 'STEAM-50', quantity: 0, email: 'not-an-email', paymentChannel: 'alipay' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(invalid.headers.get('x-powered-by')).toBeNull();
    const problem = (await invalid.json()) as any;
    expect(problem).toMatchObject({ status: 400, title: 'Bad Request', code: 'REQUEST.INVALID' });
    expect(problem.type).toMatch(/^tag:keyflow\.dev,2026:problem:REQUEST\.INVALID$/);
    expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['#/quantity', '#/email']),
    );

    const malformed = await fetch(`${stack.orders.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"sku":',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    for (const [name, service] of Object.entries(services())) {
      if (name === 'payment-callback') continue; // no operator routes: callbacks and pay links only
      const path = {
        orders: `/v1/orders/${randomUUID()}/timeline`,
        inventory: '/v1/skus',
        'risk-control': '/v1/risk/reviews',
        notification: `/v1/notifications/${randomUUID()}`,
        delivery: '/v1/suppliers',
        console: '/api/orders/v1/orders',
      }[name]!;
      const response = await fetch(`${service.url}${path}`);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyflow"');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('x-powered-by')).toBeNull();
      const body = (await response.json()) as any;
      expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
      expect(body).toMatchObject({ status: 401, title: 'Unauthorized' });
    }
  });
});
