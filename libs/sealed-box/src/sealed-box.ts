import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

import { compactDecrypt, CompactEncrypt, errors as joseErrors } from 'jose';

import { isLegacyBox, openLegacyBox } from './legacy-sb1';
import { SealedBoxError } from './sealed-box.errors';

/**
 * Hybrid encryption for one recipient, as a compact JWE (RFC 7516): a fresh AES-256-GCM content key
 * encrypts the message and is itself encrypted with the recipient's RSA public key (RSA-OAEP-256). Only the
 * holder of the private key (delivery, notification) can open what a sender (inventory, delivery) sealed;
 * the sender cannot open it again. Any JOSE library in any language reads it: a supplier or an auditor
 * holding the private key needs nothing of ours.
 *
 * `jose` does the cryptography (a maintained, audited implementation); this module only pins the algorithms
 * (no "alg" a sender could downgrade), checks keys and turns failures into coded errors that never carry
 * plaintext or key material.
 */
export const SEALED_BOX_ALGORITHM = 'RSA-OAEP-256';
export const SEALED_BOX_ENCRYPTION = 'A256GCM';
/** The JWE "typ" header: says what the box holds, so a box cannot be mistaken for another JWE of ours. */
export const SEALED_BOX_TYPE = 'keyflow-card-key+jwe';

const MIN_RSA_BITS = 2048;
const COMPACT_JWE_PARTS = 5;

export type PublicKeyInput = string | KeyObject;
export type PrivateKeyInput = string | KeyObject;

export async function seal(plaintext: string, recipientPublicKey: PublicKeyInput): Promise<string> {
  const publicKey = asPublicKey(recipientPublicKey);
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: SEALED_BOX_ALGORITHM, enc: SEALED_BOX_ENCRYPTION, typ: SEALED_BOX_TYPE })
    .encrypt(publicKey);
}

/**
 * Opens a compact JWE sealed for this private key. Boxes in the retired `sb1` format (records published
 * before the switch to JWE, still in an outbox or on a topic) are opened too, never written.
 */
export async function open(sealed: string, recipientPrivateKey: PrivateKeyInput): Promise<string> {
  const privateKey = asPrivateKey(recipientPrivateKey);
  if (isLegacyBox(sealed)) return openLegacyBox(sealed, privateKey);
  if (sealed.split('.').length !== COMPACT_JWE_PARTS) {
    throw new SealedBoxError('SEALED_BOX.MALFORMED', `expected a compact JWE (${COMPACT_JWE_PARTS} parts)`);
  }
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, privateKey, {
      keyManagementAlgorithms: [SEALED_BOX_ALGORITHM],
      contentEncryptionAlgorithms: [SEALED_BOX_ENCRYPTION],
    });
    if (protectedHeader.typ !== SEALED_BOX_TYPE) {
      throw new SealedBoxError('SEALED_BOX.UNSUPPORTED_VERSION', 'the JWE does not hold a Keyflow card key');
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch (error) {
    throw asSealedBoxError(error);
  }
}

function asSealedBoxError(error: unknown): SealedBoxError {
  if (error instanceof SealedBoxError) return error;
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) {
    return new SealedBoxError(
      'SEALED_BOX.UNSUPPORTED_VERSION',
      'the JWE uses algorithms Keyflow does not accept',
    );
  }
  if (error instanceof joseErrors.JWEInvalid) {
    return new SealedBoxError('SEALED_BOX.MALFORMED', 'not a valid compact JWE');
  }
  // JWEDecryptionFailed and anything else: a wrong key and an altered box look the same on purpose.
  return new SealedBoxError('SEALED_BOX.CANNOT_OPEN', 'the box was altered or sealed for another key');
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
