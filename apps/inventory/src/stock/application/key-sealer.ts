import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type SealedCardKey } from '@keyflow/contracts';
import { seal } from '@keyflow/sealed-box';

import { INVENTORY_SETTINGS, type InventorySettings } from '../config/inventory-settings';
import { type DataKey, EnvelopeCipher } from '../infrastructure/crypto/envelope-cipher';
import { type ReservedCardKey } from '../infrastructure/card-key.repository';
import { KeyBatchRepository } from '../infrastructure/key-batch.repository';
import { InventoryError } from '../domain/inventory.errors';

/**
 * Turns pool ciphertexts into boxes only delivery can open: each key is decrypted with its batch's
 * data key and at once sealed for delivery's public key. Plaintext lives only inside this loop.
 */
@Injectable()
export class KeySealer {
  constructor(
    private readonly batches: KeyBatchRepository,
    private readonly cipher: EnvelopeCipher,
    @Inject(INVENTORY_SETTINGS) private readonly settings: InventorySettings,
  ) {}

  async sealForDelivery(manager: EntityManager, keys: ReservedCardKey[]): Promise<SealedCardKey[]> {
    const batchIds = [...new Set(keys.map((key) => key.batchId))];
    const wrapped = await this.batches.wrappedKeys(manager, batchIds);
    const dataKeys = new Map<string, DataKey>();
    try {
      for (const batchId of batchIds) {
        const entry = wrapped.get(batchId);
        if (!entry)
          throw new InventoryError('INVENTORY.RESERVATION_INCONSISTENT', `batch ${batchId} is missing`);
        dataKeys.set(batchId, this.cipher.unwrap(batchId, entry));
      }
      return await Promise.all(
        keys.map(async (key) => ({
          keyId: key.keyId,
          sealed: await seal(
            this.cipher.decryptKey(dataKeys.get(key.batchId)!, key.keyId, key.ciphertext),
            this.settings.deliveryPublicKey,
          ),
        })),
      );
    } finally {
      for (const dataKey of dataKeys.values()) dataKey.key.fill(0);
    }
  }
}
