import { sign, verify, type KeyObject } from 'node:crypto';

/** The parts of Alipay's OpenAPI gateway protocol (RSA2) that do not depend on the ledger. */

/** The string a merchant signs: every parameter but `sign`, sorted by name, `k=v` joined by `&`. */
export function gatewaySignContent(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] !== '')
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function merchantSignatureValid(params: Record<string, string>, appPublicKey: KeyObject): boolean {
  if (params.sign_type !== 'RSA2' || !params.sign) return false;
  try {
    return verify(
      'sha256',
      Buffer.from(gatewaySignContent(params), 'utf8'),
      appPublicKey,
      Buffer.from(params.sign, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * Alipay's answer: `{"<method>_response": {...}, "sign": "..."}` where sign is RSA2 over the exact text
 * of the response object, made with Alipay's private key (the SDK checks it with Alipay's public key).
 */
export function signedGatewayAnswer(method: string, response: object, alipayPrivateKey: KeyObject): string {
  const node = JSON.stringify(response);
  const signature = sign('sha256', Buffer.from(node, 'utf8'), alipayPrivateKey).toString('base64');
  return `{"${method.replace(/\./g, '_')}_response":${node},"sign":"${signature}"}`;
}

export function businessError(subCode: string, subMsg: string) {
  return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
}

/** "12.34" (yuan) as minor units, or undefined when it is not such an amount. */
export function minorOf(amount: unknown): number | undefined {
  const match = typeof amount === 'string' ? /^(0|[1-9][0-9]{0,9})(?:\.([0-9]{1,2}))?$/.exec(amount) : null;
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) : undefined;
}

/** "yyyy-MM-dd HH:mm:ss" Beijing time ↔ Date. */
export function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

export function fromBeijingTime(text: unknown): Date | undefined {
  const match = typeof text === 'string' ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text) : null;
  const date = match ? new Date(`${match[1]}T${match[2]}+08:00`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
