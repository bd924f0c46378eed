import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { DeliveryError } from '../domain/delivery.errors';
import { type Secret } from '@keyflow/service-kit';

export interface EncryptedKey {
  encryptionKeyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * AES-256-GCM for delivered keys at rest. The key id is stored with each ciphertext (so a later key
 * rotation can tell old rows apart) and bound in as additional data, with the key's own id, so a
 * ciphertext cannot be moved to another row.
 */
export class KeyCipher {
  constructor(
    private readonly keyId: string,
    private readonly key: Secret,
  ) {}

  encrypt(plaintext: string, cardKeyId: string): EncryptedKey {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key.reveal(), iv);
    cipher.setAAD(Buffer.from(`${this.keyId}:${cardKeyId}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { encryptionKeyId: this.keyId, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  decrypt(encrypted: EncryptedKey, cardKeyId: string): string {
    if (encrypted.encryptionKeyId !== this.keyId)
      throw new DeliveryError(
        'DELIVERY.KEYS_UNREADABLE',
        `encryption key ${encrypted.encryptionKeyId} is not configured`,
      );
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key.reveal(), encrypted.iv);
      decipher.setAAD(Buffer.from(`${this.keyId}:${cardKeyId}`));
      decipher.setAuthTag(encrypted.tag);
      return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new DeliveryError('DELIVERY.KEYS_UNREADABLE', `delivered key ${cardKeyId} does not decrypt`);
    }
  }
}
