import { HttpException } from '@nestjs/common';

import { BuyerLinks } from './buyer-links';
import { OrderAccessTokens } from './order-access-token';

const tokens = new OrderAccessTokens('s'.repeat(40));
const ORDER = '7d3c1a8e-2f4b-4c6d-9e8f-0a1b2c3d4e5f';
const OTHER = '11111111-2f4b-4c6d-9e8f-0a1b2c3d4e5f';
const sink = () => {
  const headers: Record<string, string> = {};
  return { headers, setHeader: (name: string, value: string) => (headers[name] = value) };
};

async function answer(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    return { status: 200, body: await promise };
  } catch (error) {
    if (!(error instanceof HttpException)) throw error;
    return { status: error.getStatus(), body: error.getResponse() };
  }
}

describe('BuyerLinks', () => {
  let now = Date.parse('2026-11-27T00:00:00Z');
  const links = new BuyerLinks(
    tokens,
    { validAfterEndSeconds: 3600, maxFailures: 3, failureWindowSeconds: 60 },
    () => now,
  );
  const orders: Record<string, { endedAt?: string }> = { [ORDER]: {} };
  const open = (ip: string, orderId: string, token: string | undefined, response = sink()) =>
    answer(
      links.open({ ip }, response, orderId, token, async () => orders[orderId], { unknownIsInvalid: true }),
    );

  it('opens an order with its own token', async () => {
    expect(await open('10.0.0.1', ORDER, tokens.issue(ORDER))).toEqual({ status: 200, body: {} });
  });

  it('answers an unknown order, a wrong token and a missing token exactly alike', async () => {
    const unknown = await open('10.0.0.2', OTHER, tokens.issue(OTHER));
    const wrong = await open('10.0.0.3', ORDER, tokens.issue(OTHER));
    const missing = await open('10.0.0.4', ORDER, undefined);
    expect(unknown.status).toBe(404);
    expect(wrong).toEqual(unknown);
    expect(missing).toEqual(unknown);
  });

  it('stops an address after too many wrong links, while the holder elsewhere is served', async () => {
    for (let i = 0; i < 3; i++) expect((await open('10.0.0.9', ORDER, `guess${i}`)).status).toBe(404);
    const response = sink();
    const blocked = await open('10.0.0.9', ORDER, tokens.issue(ORDER), response);
    expect(blocked.status).toBe(429);
    expect(response.headers['Retry-After']).toBe('60');
    expect((await open('10.0.0.10', ORDER, tokens.issue(ORDER))).status).toBe(200);
    now += 61_000;
    expect((await open('10.0.0.9', ORDER, tokens.issue(ORDER))).status).toBe(200);
  });

  it('expires a link the set time after the order ended, with its own answer', async () => {
    orders[ORDER] = { endedAt: new Date(now - 3599_000).toISOString() };
    expect((await open('10.0.0.1', ORDER, tokens.issue(ORDER))).status).toBe(200);
    now += 2000;
    const expired = await open('10.0.0.1', ORDER, tokens.issue(ORDER));
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'ORDER_LINK.EXPIRED' });
    // a wrong token on an ended order still says only "invalid"
    expect((await open('10.0.0.1', ORDER, 'wrong')).status).toBe(404);
  });
});
