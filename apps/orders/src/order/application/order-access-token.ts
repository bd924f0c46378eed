import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The buyer's access token for the status page: an HMAC of the order id under a server secret. Nothing to
 * store, the same on every instance, and a retried checkout returns the same token.
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
