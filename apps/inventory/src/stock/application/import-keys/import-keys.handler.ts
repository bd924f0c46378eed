import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { InventoryError } from '../../domain/inventory.errors';
import { findBatchDuplicates, type FingerprintedKey, type KeyLine } from '../../domain/key-batch';
import { CardKeyRepository, type NewCardKey } from '../../infrastructure/card-key.repository';
import { EnvelopeCipher } from '../../infrastructure/crypto/envelope-cipher';
import { KeyBatchRepository } from '../../infrastructure/key-batch.repository';
import { SkuRepository } from '../../infrastructure/sku.repository';
import { LowStockWatch } from '../low-stock/low-stock-watch';

export interface ImportKeysRequest {
  sku: string;
  keys: KeyLine[];
  origin: 'api' | 'cli';
  label?: string;
  importedBy?: string;
  /** Called as rows are written, for progress bars. */
  onProgress?: (written: number, total: number) => void;
}

export interface DuplicateReport {
  count: number;
  /** Line numbers (the first 1000): the keys themselves are never echoed. */
  lines: number[];
}

export interface ImportReport {
  batchId: string;
  sku: string;
  masterKeyId: string;
  received: number;
  imported: number;
  duplicatesInBatch: DuplicateReport;
  duplicatesInPool: DuplicateReport;
}

const INSERT_CHUNK = 1000;
const REPORTED_LINES = 1000;

/**
 * Imports one batch of card keys into a pool SKU, all or nothing, on the caller's transaction (the HTTP
 * API and the CLI both come here). Keys are fingerprinted with the keyed HMAC; repeats within the batch
 * and keys already in the pool are reported by line and skipped; the rest are encrypted under a fresh
 * data key for this batch, which is stored wrapped by the current master key.
 */
@Injectable()
export class ImportKeysHandler {
  constructor(
    private readonly skus: SkuRepository,
    private readonly keys: CardKeyRepository,
    private readonly batches: KeyBatchRepository,
    private readonly cipher: EnvelopeCipher,
    private readonly lowStock: LowStockWatch,
  ) {}

  async import(manager: EntityManager, request: ImportKeysRequest): Promise<ImportReport> {
    const sku = await this.skus.find(manager, request.sku);
    if (!sku) throw new InventoryError('INVENTORY.UNKNOWN_SKU', `${request.sku} is not defined`);
    if (sku.source !== 'pool')
      throw new InventoryError(
        'INVENTORY.NOT_A_POOL_SKU',
        `${request.sku} is stocked by suppliers, not a key pool`,
      );
    if (request.keys.length === 0)
      throw new InventoryError('INVENTORY.INVALID_KEY_FILE', 'the batch holds no keys');

    const fingerprinted: FingerprintedKey[] = request.keys.map((key) => ({
      ...key,
      fingerprint: this.cipher.fingerprint(key.value).toString('hex'),
    }));
    const { unique, duplicateLines } = findBatchDuplicates(fingerprinted);
    const inPool = await this.keys.existingFingerprints(
      manager,
      unique.map((key) => Buffer.from(key.fingerprint, 'hex')),
    );
    const fresh = unique.filter((key) => !inPool.has(key.fingerprint));
    const poolDuplicateLines = unique.filter((key) => inPool.has(key.fingerprint)).map((key) => key.line);

    const batchId = randomUUID();
    const { dataKey, wrapped } = this.cipher.newDataKey(batchId);
    try {
      await this.batches.insert(manager, {
        batchId,
        sku: request.sku,
        wrapped,
        origin: request.origin,
        label: request.label ?? null,
        importedBy: request.importedBy ?? null,
      });
      let written = 0;
      for (let start = 0; start < fresh.length; start += INSERT_CHUNK) {
        const chunk = fresh.slice(start, start + INSERT_CHUNK);
        const rows: NewCardKey[] = chunk.map((key) => {
          const keyId = randomUUID();
          return {
            keyId,
            fingerprint: Buffer.from(key.fingerprint, 'hex'),
            ciphertext: this.cipher.encryptKey(dataKey, keyId, key.value),
          };
        });
        const inserted = await this.keys.insertMany(manager, request.sku, batchId, rows);
        // A concurrent import stored some of these since the check above: they are pool duplicates too.
        for (const key of chunk) if (!inserted.has(key.fingerprint)) poolDuplicateLines.push(key.line);
        written += inserted.size;
        request.onProgress?.(start + chunk.length, fresh.length);
      }
      const report: ImportReport = {
        batchId,
        sku: request.sku,
        masterKeyId: wrapped.masterKeyId,
        received: request.keys.length,
        imported: written,
        duplicatesInBatch: duplicates(duplicateLines),
        duplicatesInPool: duplicates(poolDuplicateLines.sort((a, b) => a - b)),
      };
      await this.batches.recordCounts(manager, batchId, {
        received: report.received,
        imported: report.imported,
        duplicatesInBatch: report.duplicatesInBatch.count,
        duplicatesInPool: report.duplicatesInPool.count,
      });
      await this.lowStock.evaluate(manager, request.sku, { fire: false });
      return report;
    } finally {
      dataKey.key.fill(0);
    }
  }
}

function duplicates(lines: number[]): DuplicateReport {
  return { count: lines.length, lines: lines.slice(0, REPORTED_LINES) };
}
