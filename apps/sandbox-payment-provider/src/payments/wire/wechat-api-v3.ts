import { randomBytes, sign, verify, type KeyObject } from 'node:crypto';

/** The parts of WeChat Pay API v3's signing scheme the sandbox needs, on both sides of a call. */

const AUTHORIZATION =
  /^WECHATPAY2-SHA256-RSA2048 (?=.*mchid="([^"]+)")(?=.*serial_no="([^"]+)")(?=.*timestamp="([0-9]{1,12})")(?=.*nonce_str="([^"]{1,64})")(?=.*signature="([A-Za-z0-9+/=]+)").*$/;

export interface MerchantRequest {
  method: string;
  /** Path with query, as the merchant signed it. */
  url: string;
  body: string;
  authorization: string | undefined;
}

/**
 * Checks `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,serial_no=…,timestamp=…,nonce_str=…,signature=…`
 * where signature is SHA256withRSA over `${method}\n${url}\n${timestamp}\n${nonce}\n${body}\n` with the
 * merchant's API key. Answers the mchid it was made for, or undefined when it does not verify or is stale.
 */
export function verifiedMerchant(
  request: MerchantRequest,
  merchantPublicKey: KeyObject,
  now: Date,
): string | undefined {
  const match = AUTHORIZATION.exec(request.authorization ?? '');
  if (!match) return undefined;
  const [, mchid, , timestamp, nonce, signature] = match;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300) return undefined;
  const message = `${request.method}\n${request.url}\n${timestamp}\n${nonce}\n${request.body}\n`;
  try {
    return verify(
      'sha256',
      Buffer.from(message, 'utf8'),
      merchantPublicKey,
      Buffer.from(signature!, 'base64'),
    )
      ? mchid
      : undefined;
  } catch {
    return undefined;
  }
}

/** The platform's signature on an answer: headers over `${timestamp}\n${nonce}\n${body}\n`. */
export function signedAnswerHeaders(body: string, serial: string, platformPrivateKey: KeyObject, now: Date) {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = sign(
    'sha256',
    Buffer.from(`${timestamp}\n${nonce}\n${body}\n`, 'utf8'),
    platformPrivateKey,
  );
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': serial,
    'Wechatpay-Signature': signature.toString('base64'),
  };
}

/** RFC 3339 with +08:00, as WeChat writes times. */
export function rfc3339Beijing(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}
