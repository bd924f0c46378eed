import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type SealedCardKey } from '@keyflow/contracts';
import { open, seal } from '@keyflow/sealed-box';

import { DELIVERY_SETTINGS, type DeliverySettings } from '../config/delivery-settings';
import { DeliveryError } from '../domain/delivery.errors';
import { KeyCipher } from '../infrastructure/key-cipher';
import { DeliveryRepository, type StoredKey } from '../infrastructure/delivery.repository';

/** A card key in the clear, only ever in memory between opening and re-encrypting it. */
export interface PlainCardKey {
  keyId: string;
  plaintext: string;
}

/**
 * Everything delivery does with plaintext keys, in one place: open what inventory sealed, encrypt for
 * rest, seal for notification. No method logs or throws a key.
 */
@Injectable()
export class DeliveredKeys {
  constructor(
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
    private readonly cipher: KeyCipher,
    private readonly deliveries: DeliveryRepository,
  ) {}

  async openFromInventory(keys: SealedCardKey[]): Promise<PlainCardKey[]> {
    return Promise.all(
      keys.map(async ({ keyId, sealed }) => {
        try {
          return { keyId, plaintext: await open(sealed, this.settings.sealingPrivateKey) };
        } catch {
          throw new DeliveryError(
            'DELIVERY.KEYS_UNREADABLE',
            `pool key ${keyId} does not open with delivery's key`,
          );
        }
      }),
    );
  }

  encryptForRest(keys: PlainCardKey[]): StoredKey[] {
    return keys.map(({ keyId, plaintext }) => ({ keyId, ...this.cipher.encrypt(plaintext, keyId) }));
  }

  async sealForNotification(keys: PlainCardKey[]): Promise<SealedCardKey[]> {
    return Promise.all(
      keys.map(async ({ keyId, plaintext }) => ({
        keyId,
        sealed: await seal(plaintext, this.settings.notificationPublicKey),
      })),
    );
  }

  /** The keys of an existing delivery, decrypted (for a resend of the very same keys). */
  async ofDelivery(manager: EntityManager, deliveryId: string): Promise<PlainCardKey[]> {
    const stored = await this.deliveries.keysOf(manager, deliveryId);
    return stored.map((key) => ({ keyId: key.keyId, plaintext: this.cipher.decrypt(key, key.keyId) }));
  }
}
