import { pipelineCatalog } from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';
import { dataSourceOptions, prepareDataSource } from '@keyflow/service-kit';
import { type DataSource } from 'typeorm';

import { inventoryConfig } from '../inventory.config';
import { ImportKeysHandler } from '../stock/application/import-keys/import-keys.handler';
import { LowStockWatch } from '../stock/application/low-stock/low-stock-watch';
import { RewrapBatchesHandler } from '../stock/application/rewrap-batches.handler';
import { StockEvents } from '../stock/application/stock-events';
import { loadKeyVaultSettings } from '../stock/config/inventory-settings';
import { CardKeyRepository } from '../stock/infrastructure/card-key.repository';
import { EnvelopeCipher } from '../stock/infrastructure/crypto/envelope-cipher';
import { InventoryTables1733100000000 } from '../stock/infrastructure/migrations/1733100000000-inventory-tables';
import { KeyBatchRepository } from '../stock/infrastructure/key-batch.repository';
import { SkuRepository } from '../stock/infrastructure/sku.repository';

export interface CliContext {
  dataSource: DataSource;
  importer: ImportKeysHandler;
  rewrap: RewrapBatchesHandler;
  close(): Promise<void>;
}

/**
 * The same use cases the service runs, wired by hand for command-line tools: same database schema
 * (migrated if needed), same envelope encryption from INVENTORY_MASTER_KEYS / INVENTORY_FINGERPRINT_KEY.
 * Events they append (e.g. low-stock re-arming) land in the outbox and the running service publishes them.
 */
export async function openCliContext(): Promise<CliContext> {
  const config = inventoryConfig();
  const vault = loadKeyVaultSettings();
  const dataSource = await prepareDataSource(
    dataSourceOptions({ ...config, databasePoolSize: 2 }, { migrations: [InventoryTables1733100000000] }),
  );
  const cipher = new EnvelopeCipher(vault.masterKeys, vault.fingerprintKey);
  const skus = new SkuRepository();
  const batches = new KeyBatchRepository();
  const keys = new CardKeyRepository();
  const lowStock = new LowStockWatch(
    skus,
    keys,
    new StockEvents(new EventStore(config.schema, config.service, pipelineCatalog)),
  );
  return {
    dataSource,
    importer: new ImportKeysHandler(skus, keys, batches, cipher, lowStock),
    rewrap: new RewrapBatchesHandler(dataSource, batches, cipher),
    close: () => dataSource.destroy(),
  };
}
