import { createHmac, createCipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** Key material and signers for the verifier specs: what a provider does, done in the test. */
export const providerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const apiV3Key = Buffer.from('0123456789abcdef0123456789abcdef');
export const webhookSecret = Buffer.from('whsec_test_secret_0123456789');

export function alipayBody(params: Record<string, string>, key = providerKey.privateKey): string {
  const content = Object.keys(params)
    .filter((k) => params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return new URLSearchParams({
    ...params,
    sign_type: 'RSA2',
    sign: sign('sha256', Buffer.from(content), key).toString('base64'),
  }).toString();
}

export function stripeSignature(body: string, t: number, secret = webhookSecret): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function wechatRequest(
  transaction: object,
  timestamp: number,
  key = providerKey.privateKey,
  aesKey = apiV3Key,
) {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', aesKey, Buffer.from(nonce));
  cipher.setAAD(Buffer.from('transaction'));
  const ciphertext = Buffer.concat([
    cipher.update(JSON.stringify(transaction)),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  const body = JSON.stringify({
    resource: {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: ciphertext.toString('base64'),
      associated_data: 'transaction',
      nonce,
    },
  });
  const headerNonce = randomBytes(16).toString('hex');
  const signature = sign('sha256', Buffer.from(`${timestamp}\n${headerNonce}\n${body}\n`), key).toString(
    'base64',
  );
  return {
    body,
    headers: { timestamp: String(timestamp), nonce: headerNonce, signature, serial: 'SERIAL1' },
  };
}
