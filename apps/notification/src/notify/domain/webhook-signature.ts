import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Outgoing webhooks are signed like Stripe's: `X-Keyflow-Signature: t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256(secret, `${t}.${body}`). The timestamp inside the MAC lets receivers refuse replays.
 */
export const SIGNATURE_HEADER = 'x-keyflow-signature';

export function signWebhook(body: string, secret: Buffer, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** What a receiver does (and the tests do): recompute, compare in constant time, bound the clock skew. */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: Buffer,
  nowUnixSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const fields = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const t = Number(fields.t);
  if (!Number.isInteger(t) || Math.abs(nowUnixSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(body, secret, t).split('v1=')[1]!, 'hex');
  const given = Buffer.from(String(fields.v1 ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
