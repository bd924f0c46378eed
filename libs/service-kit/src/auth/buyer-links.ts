import { HttpException } from '@nestjs/common';

import { positiveInt } from '../config/env-readers';
import { FailureLimiter } from './failure-limiter';
import { type OrderAccessTokens } from './order-access-token';

export interface BuyerLinkSettings {
  /** How long a buyer's link keeps working after the order ended (ORDER_LINK_VALID_AFTER_END_SECONDS). */
  validAfterEndSeconds: number;
  /** Wrong links one client address may try per window before it is told to wait (ORDER_LINK_MAX_FAILURES). */
  maxFailures: number;
  failureWindowSeconds: number;
}

export function buyerLinkSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BuyerLinkSettings {
  return {
    validAfterEndSeconds: positiveInt(env, 'ORDER_LINK_VALID_AFTER_END_SECONDS', 30 * 24 * 3600),
    maxFailures: positiveInt(env, 'ORDER_LINK_MAX_FAILURES', 20),
    failureWindowSeconds: positiveInt(env, 'ORDER_LINK_FAILURE_WINDOW_SECONDS', 600),
  };
}

/** The one answer for an unknown order, a wrong token and no token: nothing tells them apart. */
export const INVALID_LINK = {
  statusCode: 404,
  code: 'ORDER_LINK.INVALID',
  message: 'no order matches this link: open the status link from your checkout or email',
} as const;

export interface ClientRequest {
  /** The client address (Express `req.ip`, through trusted proxies: HTTP_TRUST_PROXY). */
  ip?: string;
}

export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * A buyer opening their order through its link (orders' status, delivery's keys, both via the console):
 * 1. a client address that sent too many wrong links lately is told to wait (429), before anything is read;
 * 2. the order is always looked up and the token always checked, so an unknown order and a wrong token
 *    cost the same and get the same 404 (no existence oracle), and count as one failure of that address;
 * 3. a valid token of an order that ended more than the set time ago answers 410 (the link expired).
 * Failures count per client address, never per order: guessing at someone's order never locks them out.
 */
export class BuyerLinks {
  private readonly failures: FailureLimiter;

  constructor(
    private readonly tokens: OrderAccessTokens,
    private readonly settings: BuyerLinkSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new FailureLimiter(settings.maxFailures, settings.failureWindowSeconds * 1000);
  }

  /**
   * What `load` finds for the order, once the link is proven. `unknownIsInvalid`: whether "no such record"
   * means no such order (orders) or only "nothing yet" for a real order (delivery before delivering).
   */
  async open<T extends { endedAt?: string | null }>(
    request: ClientRequest,
    response: HeaderSink,
    orderId: string,
    token: string | undefined,
    load: () => Promise<T | undefined>,
    options: { unknownIsInvalid: boolean },
  ): Promise<T | undefined> {
    const client = request.ip ?? 'unknown';
    const waitMs = this.failures.blockedForMs(client, this.now());
    if (waitMs !== undefined) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      response.setHeader('Retry-After', String(retryAfterSeconds));
      throw new HttpException(
        {
          statusCode: 429,
          code: 'ORDER_LINK.TOO_MANY_FAILURES',
          message: `too many wrong order links from this address; try again in ${retryAfterSeconds} s`,
          retryAfterSeconds,
        },
        429,
      );
    }
    const found = await load();
    const valid = this.tokens.verify(orderId, token);
    if (!valid || (options.unknownIsInvalid && !found)) {
      this.failures.fail(client, this.now());
      throw new HttpException({ ...INVALID_LINK }, 404);
    }
    const expiresAt = found?.endedAt
      ? Date.parse(found.endedAt) + this.settings.validAfterEndSeconds * 1000
      : NaN;
    if (expiresAt <= this.now()) {
      throw new HttpException(
        {
          statusCode: 410,
          code: 'ORDER_LINK.EXPIRED',
          message:
            'this order link has expired (it works for a set time after the order ends); contact the shop',
          expiredAt: new Date(expiresAt).toISOString(),
        },
        410,
      );
    }
    return found;
  }
}
