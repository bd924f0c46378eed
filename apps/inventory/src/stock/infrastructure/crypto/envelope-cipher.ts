import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

import { type Secret } from '@keyflow/service-kit';
import { InventoryError } from '../../domain/inventory.errors';
import { type MasterKeyring } from './master-keyring';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

/** A batch's data key, unwrapped in memory only for as long as a use case needs it. */
export interface DataKey {
  batchId: string;
  key: Buffer;
}

export interface WrappedDataKey {
  masterKeyId: string;
  /** iv | tag | ciphertext of the data key under the master key. */
  wrapped: Buffer;
}

/**
 * Envelope encryption of the card-key pool: each import batch gets a random AES-256-GCM data key; every
 * card key is encrypted under it (with its own key id as additional data, so ciphertexts cannot be moved
 * between rows), and the data key is stored wrapped by a master key together with that key's id. Rotating
 * the master key therefore re-wraps one small data key per batch and never touches card-key ciphertexts.
 */
export class EnvelopeCipher {
  constructor(
    private readonly masterKeys: MasterKeyring,
    private readonly fingerprintKey: Secret,
  ) {}

  newDataKey(batchId: string): { dataKey: DataKey; wrapped: WrappedDataKey } {
    const key = randomBytes(DATA_KEY_BYTES);
    return { dataKey: { batchId, key }, wrapped: this.wrap(batchId, key) };
  }

  unwrap(batchId: string, { masterKeyId, wrapped }: WrappedDataKey): DataKey {
    const master = this.masterKeys.get(masterKeyId);
    try {
      return { batchId, key: gcmOpen(master.key.reveal(), wrapped, dataKeyAad(batchId, masterKeyId)) };
    } catch {
      throw new InventoryError(
        'INVENTORY.DECRYPTION_FAILED',
        `the data key of batch ${batchId} does not unwrap with master key "${masterKeyId}"`,
      );
    }
  }

  /** The same data key wrapped under the current master key (a no-op result if it already is). */
  rewrap(batchId: string, wrapped: WrappedDataKey): WrappedDataKey {
    const dataKey = this.unwrap(batchId, wrapped);
    try {
      return this.wrap(batchId, dataKey.key);
    } finally {
      dataKey.key.fill(0);
    }
  }

  get currentMasterKeyId(): string {
    return this.masterKeys.current.id;
  }

  encryptKey(dataKey: DataKey, keyId: string, plaintext: string): Buffer {
    return gcmSeal(dataKey.key, Buffer.from(plaintext, 'utf8'), cardKeyAad(keyId));
  }

  decryptKey(dataKey: DataKey, keyId: string, ciphertext: Buffer): string {
    try {
      return gcmOpen(dataKey.key, ciphertext, cardKeyAad(keyId)).toString('utf8');
    } catch {
      throw new InventoryError('INVENTORY.DECRYPTION_FAILED', `card key ${keyId} does not decrypt`);
    }
  }

  /**
   * Keyed HMAC-SHA256 of a normalised key: equal keys have equal fingerprints, so duplicates are found by
   * an index lookup, while a database reader without the fingerprint key cannot test guesses against it.
   * The fingerprint key is separate from the master keys so rotating those keeps fingerprints stable.
   */
  fingerprint(normalizedKey: string): Buffer {
    return createHmac('sha256', this.fingerprintKey.reveal()).update(normalizedKey, 'utf8').digest();
  }

  private wrap(batchId: string, key: Buffer): WrappedDataKey {
    const master = this.masterKeys.current;
    return {
      masterKeyId: master.id,
      wrapped: gcmSeal(master.key.reveal(), key, dataKeyAad(batchId, master.id)),
    };
  }
}

const dataKeyAad = (batchId: string, masterKeyId: string) =>
  Buffer.from(`keyflow.inventory.data-key|${batchId}|${masterKeyId}`);
const cardKeyAad = (keyId: string) => Buffer.from(`keyflow.inventory.card-key|${keyId}`);

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
