import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The pay-link key pair in PEM form: orders reads the private half (PKCS#8), payment-callback the public
 * half (SPKI). Errors name the setting and what is wrong with it, never the key's text.
 */
export function payLinkSigningKey(pem: string, name = 'PAY_LINK_SIGNING_KEY'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${name} is not a private key in PEM form`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${name} must be an Ed25519 private key`);
  return key;
}

export function payLinkPublicKey(pem: string, name = 'PAY_LINK_PUBLIC_KEY'): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`${name} is not a public key in PEM form`);
  }
  // createPublicKey also derives a public key from a private one: payment-callback must never hold that.
  if (/PRIVATE KEY/.test(pem)) throw new Error(`${name} must be the public key only, not the private key`);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${name} must be an Ed25519 public key`);
  return key;
}
