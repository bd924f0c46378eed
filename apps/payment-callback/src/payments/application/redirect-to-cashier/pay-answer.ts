/**
 * What the pay URL answers a buyer: the cashier, "come back in a moment" (503 + Retry-After, the payment
 * is being created or the provider failed just now), or a refusal with a stable code that retrying will
 * not change.
 */
export type PayAnswer =
  | { kind: 'cashier'; url: string }
  | { kind: 'retry-later'; code: string; message: string; retryAfterSeconds?: number }
  | { kind: 'refused'; status: 403 | 404 | 409 | 410 | 422; code: string; message: string };

export const cashier = (url: string): PayAnswer => ({ kind: 'cashier', url });

export const retryLater = (code: string, message: string, retryAfterSeconds?: number): PayAnswer => ({
  kind: 'retry-later',
  code,
  message,
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});

export const refused = (status: 403 | 404 | 409 | 410 | 422, code: string, message: string): PayAnswer => ({
  kind: 'refused',
  status,
  code,
  message,
});
