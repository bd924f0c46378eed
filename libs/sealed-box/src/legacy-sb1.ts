import { constants, createDecipheriv, type KeyObject, privateDecrypt } from 'node:crypto';

import { SealedBoxError } from './sealed-box.errors';

/**
 * The home-made format Keyflow sealed with before JWE: `sb1.<wrapped key>.<iv>.<tag>.<ciphertext>`, all
 * base64url, RSA-OAEP-256 wrapping an AES-256-GCM key, the prefix as GCM additional data. Only opened, never
 * written: records sealed this way may still wait in an outbox or on a topic when a shop upgrades. Once
 * every topic's retention has passed since the upgrade, this file can go.
 */
const LEGACY_PREFIX = 'sb1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isLegacyBox(sealed: string): boolean {
  return sealed.startsWith(LEGACY_PREFIX);
}

export function openLegacyBox(sealed: string, privateKey: KeyObject): string {
  const parts = sealed.split('.');
  if (parts.length !== 5) throw new SealedBoxError('SEALED_BOX.MALFORMED', 'expected 5 dot-separated parts');
  const [wrappedKey, iv, tag, ciphertext] = parts.slice(1).map(decodePart) as [
    Buffer,
    Buffer,
    Buffer,
    Buffer,
  ];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SealedBoxError('SEALED_BOX.MALFORMED', 'iv or tag has the wrong length');
  }
  let contentKey: Buffer;
  try {
    contentKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      wrappedKey,
    );
  } catch {
    throw new SealedBoxError('SEALED_BOX.CANNOT_OPEN', 'the box was altered or sealed for another key');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', contentKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from('sb1'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedBoxError('SEALED_BOX.CANNOT_OPEN', 'the box was altered or sealed for another key');
  } finally {
    contentKey.fill(0);
  }
}

function decodePart(part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) {
    throw new SealedBoxError('SEALED_BOX.MALFORMED', 'a part is not base64url');
  }
  return Buffer.from(part, 'base64url');
}
