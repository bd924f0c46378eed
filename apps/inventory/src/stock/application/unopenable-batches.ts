import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { EnvelopeCipher } from '../infrastructure/crypto/envelope-cipher';

/**
 * The import batches whose data key this deployment cannot unwrap: sealed under a master key it does not
 * hold, or under another key with the same id (a second environment with its own secrets on this database).
 * Found at start by trying each batch's data key; reservations pass over their keys, since promising a
 * buyer a key that can never be opened leaves the order waiting on a commit that cannot succeed. Said
 * loudly, because until the right master key is configured it is stock the shop has and cannot sell.
 */
@Injectable()
export class UnopenableBatches implements OnApplicationBootstrap {
  private readonly logger = new Logger('UnopenableBatches');
  private ids: string[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: EnvelopeCipher,
  ) {}

  get batchIds(): readonly string[] {
    return this.ids;
  }

  async onApplicationBootstrap(): Promise<void> {
    const batches: Array<{
      batch_id: string;
      sku: string;
      master_key_id: string;
      wrapped_data_key: Buffer;
      available: string;
    }> = await this.dataSource.query(
      `SELECT b.batch_id, b.sku, b.master_key_id, b.wrapped_data_key,
              (SELECT count(*) FROM "inventory".card_keys k
                WHERE k.batch_id = b.batch_id AND k.status = 'available')::text AS available
         FROM "inventory".key_batches b`,
    );
    const unopenable = batches.filter((batch) => {
      try {
        this.cipher.unwrap(batch.batch_id, {
          masterKeyId: batch.master_key_id,
          wrapped: batch.wrapped_data_key,
        });
        return false;
      } catch {
        return true;
      }
    });
    this.ids = unopenable.map((batch) => batch.batch_id);
    for (const batch of unopenable) {
      this.logger.warn(
        `batch ${batch.batch_id} (${batch.sku}, ${batch.available} keys available) does not open with the ` +
          `configured master key "${batch.master_key_id}": its keys will not be sold until that key is configured`,
      );
    }
  }
}
