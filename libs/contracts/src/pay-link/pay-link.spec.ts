import { generateKeyPairSync, randomUUID } from 'node:crypto';

import { SignJWT } from 'jose';

import { type PayLinkFacts, PayLinkError, payUrlOf, signPayLink, verifyPayLink } from './pay-link';
import { payLinkPublicKey, payLinkSigningKey } from './pay-link-keys';

const ed25519 = () =>
  generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const orders = ed25519();
const signingKey = payLinkSigningKey(orders.privateKey);
const publicKey = payLinkPublicKey(orders.publicKey);

const now = new Date('2026-11-27T01:00:00.000Z');
const facts = (overrides: Partial<PayLinkFacts> = {}): PayLinkFacts => ({
  orderId: randomUUID(),
  amount: { amountMinor: 5000, currency: 'CNY' },
  paymentChannel: 'alipay',
  expiresAt: '2026-11-27T01:15:00.000Z',
  traceContext: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  ...overrides,
});
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof PayLinkError ? error.code : `unexpected ${String(error)}`),
  );
/**
 * Alters one signature byte. Not the last character: in an 86-character base64url Ed25519 signature it holds
 * only 2 data bits, so swapping it for a nearby letter often changes nothing at all (a flaky test).
 */
const tamperSignature = (token: string) => {
  const at = token.lastIndexOf('.') + 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
};

describe('pay link', () => {
  it('carries the payment facts orders signed, for the order it was made for', async () => {
    const placed = facts();
    const token = await signPayLink(placed, signingKey, now);
    expect(await verifyPayLink(token, publicKey, { orderId: placed.orderId, now })).toEqual(placed);
  });

  it('puts the token in the pay URL under ?t=', () => {
    expect(payUrlOf('https://pay.example', 'o-1', 'abc')).toBe('https://pay.example/v1/pay/o-1?t=abc');
  });

  it('is refused for another order, even though the signature is good', async () => {
    const token = await signPayLink(facts(), signingKey, now);
    expect(await refusal(verifyPayLink(token, publicKey, { orderId: randomUUID(), now }))).toBe(
      'PAY_LINK.OTHER_ORDER',
    );
  });

  it('expires with the payment window', async () => {
    const placed = facts();
    const token = await signPayLink(placed, signingKey, now);
    const after = new Date(Date.parse(placed.expiresAt) + 1000);
    expect(await refusal(verifyPayLink(token, publicKey, { orderId: placed.orderId, now: after }))).toBe(
      'PAY_LINK.EXPIRED',
    );
  });

  it('is refused when a fact was changed after signing (a lower amount)', async () => {
    const placed = facts();
    const [header, payload, signature] = (await signPayLink(placed, signingKey, now)).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    const cheaper = Buffer.from(JSON.stringify({ ...claims, amountMinor: 1 })).toString('base64url');
    const tampered = `${header}.${cheaper}.${signature}`;
    expect(await refusal(verifyPayLink(tampered, publicKey, { orderId: placed.orderId, now }))).toBe(
      'PAY_LINK.INVALID',
    );
    const badSignature = tamperSignature(await signPayLink(placed, signingKey, now));
    expect(await refusal(verifyPayLink(badSignature, publicKey, { orderId: placed.orderId, now }))).toBe(
      'PAY_LINK.INVALID',
    );
  });

  it('is refused when signed by any other key', async () => {
    const placed = facts();
    const forged = await signPayLink(placed, payLinkSigningKey(ed25519().privateKey), now);
    expect(await refusal(verifyPayLink(forged, publicKey, { orderId: placed.orderId, now }))).toBe(
      'PAY_LINK.INVALID',
    );
  });

  it('is refused unsigned (alg none) or HMAC-signed with the public key as secret', async () => {
    const placed = facts();
    const claims = { sub: placed.orderId, amountMinor: 1, currency: 'CNY', paymentChannel: 'alipay' };
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none' })}.${encode({ ...claims, exp: 2e9 })}.`;
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('keyflow/orders')
      .setAudience('keyflow/payment-callback')
      .setExpirationTime(2e9)
      .sign(new TextEncoder().encode(orders.publicKey));
    for (const token of [unsigned, hmac, 'not-a-token', '']) {
      expect(await refusal(verifyPayLink(token, publicKey, { orderId: placed.orderId, now }))).toBe(
        'PAY_LINK.INVALID',
      );
    }
  });

  it('never puts the token or a key in its error message', async () => {
    const placed = facts();
    const token = tamperSignature(await signPayLink(placed, signingKey, now));
    const error = await verifyPayLink(token, publicKey, { orderId: placed.orderId, now }).catch((e) => e);
    expect(String(error.message)).not.toContain(token.split('.')[2]!.slice(0, 20));
    expect(String(error.message)).not.toMatch(/KEY-----/);
  });
});

describe('pay link keys', () => {
  it('takes an Ed25519 PEM pair and refuses other keys by setting name, without echoing them', () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(() => payLinkSigningKey(rsa.privateKey)).toThrow(
      'PAY_LINK_SIGNING_KEY must be an Ed25519 private key',
    );
    expect(() => payLinkPublicKey(rsa.publicKey)).toThrow(
      'PAY_LINK_PUBLIC_KEY must be an Ed25519 public key',
    );
    expect(() => payLinkSigningKey('garbage')).toThrow(
      'PAY_LINK_SIGNING_KEY is not a private key in PEM form',
    );
  });

  it('refuses the private key where only the public key belongs (payment-callback must not be able to sign)', () => {
    expect(() => payLinkPublicKey(orders.privateKey)).toThrow(/public key only/);
  });
});
