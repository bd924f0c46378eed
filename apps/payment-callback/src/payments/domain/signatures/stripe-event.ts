import Stripe from 'stripe';

import { CallbackVerificationError, malformed } from './callback-verification.errors';
import {
  assertFresh,
  nonNegativeInteger,
  objectField,
  parseJsonObject,
  requiredString,
} from './crypto-checks';
import { type VerifiedNotification } from './verified-notification';

const TOLERANCE_SECONDS = 300;

/**
 * Verifies a Stripe webhook: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]` where v1 is
 * HMAC-SHA256 of `${t}.${rawBody}` with the endpoint's secret (several v1 while a secret is rolled);
 * the timestamp must be within 5 minutes either way. Only payment_intent.succeeded is a payment.
 * The signature and the past side of the window are checked by Stripe's own SDK
 * (`stripe.webhooks.constructEvent`); the header's shape and the future side of the window here.
 */
export function verifyStripeEvent(
  signatureHeader: string | undefined,
  body: string,
  webhookSecret: Buffer,
  now: Date,
): VerifiedNotification {
  const { timestamp } = parseSignatureHeader(signatureHeader);
  verifyWithStripeSdk(body, signatureHeader!, webhookSecret, now);
  assertFresh(Number(timestamp), now, TOLERANCE_SECONDS);
  const event = parseJsonObject(body, 'body');
  const type = requiredString(event, 'type', 100);
  const object = objectField(objectField(event, 'data'), 'object');
  const orderRef = orderIdInMetadata(object.metadata);
  if (type !== 'payment_intent.succeeded') {
    return { kind: 'other', provider: 'stripe', status: type, ...(orderRef ? { orderRef } : {}) };
  }
  if (!orderRef) throw malformed('data.object.metadata.order_id is missing');
  const currency = requiredString(object, 'currency', 3);
  const created = event.created;
  return {
    kind: 'paid',
    provider: 'stripe',
    orderRef,
    providerTradeNo: requiredString(object, 'id'),
    amount: { amountMinor: nonNegativeInteger(object, 'amount'), currency: currency.toUpperCase() },
    // Only a plausible unix time (before year 2286) becomes paidAt; anything else is left out.
    ...(typeof created === 'number' && Number.isInteger(created) && created > 0 && created < 1e10
      ? { paidAt: new Date(created * 1000).toISOString() }
      : {}),
  };
}

function verifyWithStripeSdk(body: string, header: string, secret: Buffer, now: Date): void {
  try {
    Stripe.webhooks.constructEvent(
      body,
      header,
      secret.toString('utf8'),
      TOLERANCE_SECONDS,
      undefined,
      Math.floor(now.getTime() / 1000),
    );
  } catch (error) {
    if (error instanceof SyntaxError) throw malformed('body is not JSON');
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) throw error;
    // The SDK checks the signature before the timestamp: a stale one had a valid signature.
    if (/tolerance/i.test(error.message))
      throw new CallbackVerificationError('CALLBACK.STALE_TIMESTAMP', 'signature timestamp is too old');
    throw new CallbackVerificationError('CALLBACK.BAD_SIGNATURE', 'no v1 signature matches');
  }
}

function parseSignatureHeader(header: string | undefined): { timestamp: string; signatures: string[] } {
  if (!header || header.length > 2048) throw malformed('Stripe-Signature header is missing');
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (value === undefined || rest.length > 0) throw malformed('Stripe-Signature is malformed');
    if (key === 't') {
      if (timestamp !== undefined) throw malformed('Stripe-Signature has two timestamps');
      timestamp = value;
    } else if (key === 'v1') {
      // Only a hex HMAC can match; anything else (an empty v1 makes the SDK throw a plain Error) is malformed.
      if (!/^[0-9a-f]{64}$/.test(value)) throw malformed('Stripe-Signature has a v1 that is not an HMAC');
      signatures.push(value);
    }
  }
  if (!timestamp || !/^[0-9]{1,12}$/.test(timestamp)) throw malformed('Stripe-Signature has no valid t');
  if (signatures.length === 0) throw malformed('Stripe-Signature has no v1 signature');
  return { timestamp, signatures };
}

function orderIdInMetadata(metadata: unknown): string | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const orderId = (metadata as Record<string, unknown>).order_id;
  return typeof orderId === 'string' && orderId.length <= 64 ? orderId : undefined;
}
