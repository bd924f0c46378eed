import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The buyer's access token for the status page: an HMAC of the order id under a server secret. Nothing to
 * store, the same on every instance, and a retried checkout returns the same token. orders issues it at
 * checkout; delivery verifies it before showing the buyer their delivered keys (same ORDER_TOKEN_SECRET).
 */
export class OrderAccessTokens {
  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('ORDER_TOKEN_SECRET must be at least 32 characters');
  }

  issue(orderId: string): string {
    return createHmac('sha256', this.secret).update(`order-access:${orderId}`).digest('base64url');
  }

  verify(orderId: string, token: string | undefined): boolean {
    if (!token) return false;
    const expected = Buffer.from(this.issue(orderId));
    const actual = Buffer.from(token);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

const DEV_TOKEN_SECRET = 'keyflow-development-order-token-secret-not-for-production';

/** ORDER_TOKEN_SECRET, with a fixed development default outside production (where it is required). */
export function orderTokenSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const secret = env.ORDER_TOKEN_SECRET ?? (env.NODE_ENV === 'production' ? undefined : DEV_TOKEN_SECRET);
  if (!secret) throw new Error('ORDER_TOKEN_SECRET is required in production (32+ random characters)');
  return secret;
}
