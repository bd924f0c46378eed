import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import { valueOrFile } from '../config/env-readers';

/**
 * The buyer's access token for the status page: an HMAC-SHA256 of the order id under a server secret. Nothing
 * to store, the same on every instance, and a retried checkout returns the same token. orders issues it at
 * checkout; orders, delivery (the buyer's keys) and so the console verify it (same ORDER_TOKEN_SECRET).
 *
 * Why not a JWS: the token's only claim is the order id, and its expiry is "a set time after the order
 * ends", which is unknown when the token is issued, so it is checked against the order's end time at each
 * use (BuyerLinks) rather than written into the token. A JWS (HS256, `sub` = order id) would carry the same
 * MAC in a link three times as long, and would break every link already sent.
 */
export class OrderAccessTokens {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('ORDER_TOKEN_SECRET must be at least 32 characters');
  }

  issue(orderId: string): string {
    return createHmac('sha256', this.secret).update(`order-access:${orderId}`).digest('base64url');
  }

  /** Constant time, whatever the length of what was sent (both sides are hashed to one length first). */
  verify(orderId: string, token: string | undefined): boolean {
    const expected = digest(this.issue(orderId));
    const actual = digest(token ?? '');
    return timingSafeEqual(expected, actual) && token !== undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * ORDER_TOKEN_SECRET (or ORDER_TOKEN_SECRET_FILE), required everywhere: there is no default in the source.
 * Development gets one made per install by `node scripts/dev-secrets.js` (npm start sources it); production
 * (NODE_ENV=production) and every other environment refuse to start without one.
 */
export function orderTokenSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const secret = valueOrFile(env, 'ORDER_TOKEN_SECRET')?.trim();
  if (!secret) {
    const where =
      env.NODE_ENV === 'production'
        ? 'production needs its own (32+ random characters, e.g. a mounted secret)'
        : 'for development, `node scripts/dev-secrets.js` makes one per install';
    throw new Error(`ORDER_TOKEN_SECRET (or _FILE) is required: ${where}`);
  }
  return secret;
}
