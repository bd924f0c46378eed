import { generateKeyPairSync } from 'node:crypto';

/**
 * A fresh pay-link key pair for one test run (there is no default key anywhere): orders gets the private
 * half as PAY_LINK_SIGNING_KEY, payment-callback the public half as PAY_LINK_PUBLIC_KEY.
 */
export function payLinkTestKeys(): { signingKey: string; publicKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { signingKey: privateKey, publicKey };
}
