import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

import { SealedBoxError } from './sealed-box.errors';

/**
 * Hybrid encryption for one recipient: a fresh AES-256-GCM key encrypts the message and is itself
 * encrypted with the recipient's RSA public key (OAEP, SHA-256). Only the holder of the private key
 * (delivery) can open what a sender (inventory) sealed; the sender cannot open it again.
 *
 * Compact format, all parts base64url:  sb1.<wrapped key>.<iv>.<tag>.<ciphertext>
 * The version prefix is also the GCM additional data, so a box cannot be relabelled as another version.
 */
export const SEALED_BOX_VERSION = 'sb1';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MIN_RSA_BITS = 2048;

export type PublicKeyInput = string | KeyObject;
export type PrivateKeyInput = string | KeyObject;

export function seal(plaintext: string, recipientPublicKey: PublicKeyInput): string {
  const publicKey = asPublicKey(recipientPublicKey);
  const contentKey = randomBytes(KEY_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', contentKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(SEALED_BOX_VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const wrappedKey = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    contentKey,
  );
  contentKey.fill(0);
  return [SEALED_BOX_VERSION, wrappedKey, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function open(sealed: string, recipientPrivateKey: PrivateKeyInput): string {
  const privateKey = asPrivateKey(recipientPrivateKey);
  const parts = sealed.split('.');
  if (parts.length !== 5) throw new SealedBoxError('SEALED_BOX.MALFORMED', 'expected 5 dot-separated parts');
  const [version, ...encoded] = parts as [string, string, string, string, string];
  if (version !== SEALED_BOX_VERSION) {
    throw new SealedBoxError('SEALED_BOX.UNSUPPORTED_VERSION', `version "${version.slice(0, 8)}" is unknown`);
  }
  const [wrappedKey, iv, tag, ciphertext] = encoded.map(decodePart);
  if (iv!.length !== IV_BYTES || tag!.length !== TAG_BYTES) {
    throw new SealedBoxError('SEALED_BOX.MALFORMED', 'iv or tag has the wrong length');
  }
  let contentKey: Buffer;
  try {
    contentKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      wrappedKey!,
    );
  } catch {
    throw new SealedBoxError(
      'SEALED_BOX.CANNOT_OPEN',
      'the content key does not unwrap with this private key',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', contentKey, iv!, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(SEALED_BOX_VERSION));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedBoxError('SEALED_BOX.CANNOT_OPEN', 'the box was altered or sealed for another key');
  } finally {
    contentKey.fill(0);
  }
}

/** Parses and checks a recipient public key once (e.g. at start), so seal() fails early on bad config. */
export function asPublicKey(input: PublicKeyInput): KeyObject {
  // createPublicKey would happily derive a public key from a private one; a sender must never hold that.
  if (typeof input === 'string' && input.includes('PRIVATE KEY')) {
    throw new SealedBoxError('SEALED_BOX.INVALID_KEY', 'expected a public key, got a private key');
  }
  let key: KeyObject;
  try {
    key = typeof input === 'string' ? createPublicKey(input) : input;
  } catch {
    throw new SealedBoxError('SEALED_BOX.INVALID_KEY', 'not a public key in PEM form');
  }
  return checkedRsa(key, 'public');
}

export function asPrivateKey(input: PrivateKeyInput): KeyObject {
  let key: KeyObject;
  try {
    key = typeof input === 'string' ? createPrivateKey(input) : input;
  } catch {
    throw new SealedBoxError('SEALED_BOX.INVALID_KEY', 'not a private key in PEM form');
  }
  return checkedRsa(key, 'private');
}

function checkedRsa(key: KeyObject, type: 'public' | 'private'): KeyObject {
  if (key.type !== type || key.asymmetricKeyType !== 'rsa') {
    throw new SealedBoxError('SEALED_BOX.INVALID_KEY', `expected an RSA ${type} key`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new SealedBoxError('SEALED_BOX.INVALID_KEY', `RSA keys must have at least ${MIN_RSA_BITS} bits`);
  }
  return key;
}

function decodePart(part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(part))
    throw new SealedBoxError('SEALED_BOX.MALFORMED', 'a part is not base64url');
  return Buffer.from(part, 'base64url');
}
