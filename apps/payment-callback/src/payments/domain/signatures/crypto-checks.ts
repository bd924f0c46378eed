import { createHmac, type KeyObject, timingSafeEqual, verify } from 'node:crypto';

import { CallbackVerificationError } from './callback-verification.errors';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** SHA256withRSA (RSA2) check; a signature that is not even base64 is simply not valid. */
export function rsaSha256Valid(content: string, signatureBase64: string, publicKey: KeyObject): boolean {
  if (!BASE64.test(signatureBase64) || signatureBase64.length > 2048) return false;
  try {
    return verify('sha256', Buffer.from(content, 'utf8'), publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/** Constant-time comparison of an HMAC-SHA256 (hex) against the one we compute. */
export function hmacSha256HexMatches(secret: Buffer, content: string, candidateHex: string): boolean {
  const expected = createHmac('sha256', secret).update(content, 'utf8').digest();
  if (!/^[0-9a-f]{64}$/.test(candidateHex)) return false;
  return timingSafeEqual(expected, Buffer.from(candidateHex, 'hex'));
}

/** Replay window: a signed timestamp more than `toleranceSeconds` away from now (either way) is refused. */
export function assertFresh(timestampSeconds: number, now: Date, toleranceSeconds: number): void {
  const skew = Math.abs(now.getTime() / 1000 - timestampSeconds);
  if (!(skew <= toleranceSeconds)) {
    throw new CallbackVerificationError(
      'CALLBACK.STALE_TIMESTAMP',
      `signed timestamp is ${Math.round(skew)} s away from now (tolerance ${toleranceSeconds} s)`,
    );
  }
}

export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CallbackVerificationError('CALLBACK.MALFORMED', `${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CallbackVerificationError('CALLBACK.MALFORMED', `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Reads a required non-empty string field, naming it when missing. */
export function requiredString(source: Record<string, unknown>, field: string, maxLength = 128): string {
  const value = source[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new CallbackVerificationError('CALLBACK.MALFORMED', `${field} is missing or not a string`);
  }
  return value;
}

export function objectField(source: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = source[field];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CallbackVerificationError('CALLBACK.MALFORMED', `${field} is missing or not an object`);
  }
  return value as Record<string, unknown>;
}

export function nonNegativeInteger(source: Record<string, unknown>, field: string): number {
  const value = source[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CallbackVerificationError('CALLBACK.MALFORMED', `${field} is not a non-negative integer`);
  }
  return value;
}
