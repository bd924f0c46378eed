import { type KeyObject } from 'node:crypto';

import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * The pay link: the facts payment-callback needs to open an order's payment, signed by orders at checkout
 * and carried in the pay URL (`/v1/pay/<orderId>?t=<token>`), so the buyer can pay before payment-callback
 * has read OrderPlaced. The token is a compact JWS (a JWT, EdDSA over Ed25519): orders holds the private
 * key, payment-callback only the public one, so payment-callback can check a link but never make one.
 */
export interface PayLinkFacts {
  orderId: string;
  amount: { amountMinor: number; currency: string };
  paymentChannel: string;
  /** The end of the payment window (the order's reservation expiry); the token expires with it. */
  expiresAt: string;
  /** The checkout's W3C trace context, so the payment joins the order's trace. */
  traceContext: { traceparent?: string; tracestate?: string };
}

/** The query parameter of the pay URL that carries the token. */
export const PAY_LINK_PARAM = 't';

const ALGORITHM = 'EdDSA';
const ISSUER = 'keyflow/orders';
const AUDIENCE = 'keyflow/payment-callback';

export type PayLinkErrorCode = 'PAY_LINK.INVALID' | 'PAY_LINK.EXPIRED' | 'PAY_LINK.OTHER_ORDER';

/** Why a pay link was refused; the message names the reason, never the token or a key. */
export class PayLinkError extends Error {
  constructor(
    readonly code: PayLinkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PayLinkError';
  }
}

export function payUrlOf(paymentPublicUrl: string, orderId: string, token: string): string {
  return `${paymentPublicUrl}/v1/pay/${orderId}?${PAY_LINK_PARAM}=${token}`;
}

/** Signs the facts with orders' Ed25519 private key; the token expires with the payment window. */
export function signPayLink(facts: PayLinkFacts, privateKey: KeyObject, now = new Date()): Promise<string> {
  return new SignJWT({
    amountMinor: facts.amount.amountMinor,
    currency: facts.amount.currency,
    paymentChannel: facts.paymentChannel,
    ...facts.traceContext,
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(facts.orderId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(Date.parse(facts.expiresAt) / 1000))
    .sign(privateKey);
}

/**
 * Checks a pay link for the order in the path: the signature (EdDSA only: no `none`, no HMAC with the
 * public key), issuer and audience, expiry, and that it was made for this order; returns its facts.
 */
export async function verifyPayLink(
  token: string,
  publicKey: KeyObject,
  expected: { orderId: string; now?: Date },
): Promise<PayLinkFacts> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, publicKey, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
      ...(expected.now ? { currentDate: expected.now } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new PayLinkError('PAY_LINK.EXPIRED', 'the payment window of this pay link has closed');
    }
    throw new PayLinkError('PAY_LINK.INVALID', `the pay link is not valid (${reasonOf(error)})`);
  }
  if (payload.sub !== expected.orderId) {
    throw new PayLinkError('PAY_LINK.OTHER_ORDER', 'the pay link was made for another order');
  }
  return factsOf(payload);
}

function factsOf(payload: Record<string, unknown>): PayLinkFacts {
  const { sub, exp, amountMinor, currency, paymentChannel, traceparent, tracestate } = payload;
  const valid =
    typeof sub === 'string' &&
    typeof exp === 'number' &&
    Number.isSafeInteger(amountMinor) &&
    (amountMinor as number) >= 0 &&
    typeof currency === 'string' &&
    /^[A-Z]{3}$/.test(currency) &&
    typeof paymentChannel === 'string' &&
    (traceparent === undefined || typeof traceparent === 'string') &&
    (tracestate === undefined || typeof tracestate === 'string');
  // Only orders can sign, so this is a defect on its side, not an attack; refused all the same.
  if (!valid) throw new PayLinkError('PAY_LINK.INVALID', 'the pay link lacks a payment fact');
  return {
    orderId: sub,
    amount: { amountMinor: amountMinor as number, currency },
    paymentChannel,
    expiresAt: new Date(exp * 1000).toISOString(),
    traceContext: {
      ...(traceparent ? { traceparent } : {}),
      ...(tracestate ? { tracestate } : {}),
    },
  };
}

/** jose's error codes say what failed (bad signature, malformed, wrong audience) without echoing input. */
function reasonOf(error: unknown): string {
  return error instanceof errors.JOSEError ? error.code : 'unreadable';
}
