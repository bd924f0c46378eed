import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { EnvelopeCipher } from '../infrastructure/crypto/envelope-cipher';
import { KeyBatchRepository } from '../infrastructure/key-batch.repository';

export interface RewrapReport {
  currentMasterKeyId: string;
  rewrapped: number;
  /** Batches per master key id after the re-wrap: all under the current one when done. */
  batchesByMasterKey: Record<string, number>;
}

const CHUNK = 200;

/**
 * Master key rotation, step two: after the new key is listed first in INVENTORY_MASTER_KEYS (old ones
 * still listed), re-wrap every batch's data key under it. Card-key ciphertexts are untouched. Runs in
 * short transactions of CHUNK batches (SKIP LOCKED, so two runs share the work); when it reports every
 * batch under the current key, the old master key can be removed from configuration.
 */
@Injectable()
export class RewrapBatchesHandler {
  private readonly logger = new Logger('RewrapBatches');

  constructor(
    private readonly dataSource: DataSource,
    private readonly batches: KeyBatchRepository,
    private readonly cipher: EnvelopeCipher,
  ) {}

  async rewrapAll(): Promise<RewrapReport> {
    const current = this.cipher.currentMasterKeyId;
    let rewrapped = 0;
    for (;;) {
      const done = await this.dataSource.transaction(async (manager) => {
        const stale = await this.batches.lockNotWrappedWith(manager, current, CHUNK);
        for (const batch of stale) {
          await this.batches.replaceWrapped(
            manager,
            batch.batchId,
            this.cipher.rewrap(batch.batchId, batch.wrapped),
          );
        }
        return stale.length;
      });
      rewrapped += done;
      if (done < CHUNK) break;
    }
    const batchesByMasterKey = await this.batches.countByMasterKey(this.dataSource.manager);
    this.logger.log(`re-wrapped ${rewrapped} batch data key(s) under master key "${current}"`);
    return { currentMasterKeyId: current, rewrapped, batchesByMasterKey };
  }
}
