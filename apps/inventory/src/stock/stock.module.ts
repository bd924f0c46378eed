import { Module } from '@nestjs/common';

import { CommitStockHandler } from './application/commit-stock.handler';
import { DefineSkuHandler } from './application/define-sku.handler';
import { ExpiredReservationsWorker } from './application/expired-reservations.worker';
import { ImportKeysHandler } from './application/import-keys/import-keys.handler';
import { KeySealer } from './application/key-sealer';
import { LowStockWatch } from './application/low-stock/low-stock-watch';
import { LowStockWorker } from './application/low-stock/low-stock.worker';
import { ReleaseStockHandler } from './application/release-stock.handler';
import { ReserveStockHandler } from './application/reserve-stock.handler';
import { RewrapBatchesHandler } from './application/rewrap-batches.handler';
import { StockEvents } from './application/stock-events';
import { StockReserver } from './application/stock-reserver';
import { UnopenableBatches } from './application/unopenable-batches';
import {
  INVENTORY_SETTINGS,
  type InventorySettings,
  loadInventorySettings,
} from './config/inventory-settings';
import { CardKeyRepository } from './infrastructure/card-key.repository';
import { EnvelopeCipher } from './infrastructure/crypto/envelope-cipher';
import { KeyBatchRepository } from './infrastructure/key-batch.repository';
import { RawKeyBody } from './infrastructure/raw-key-body';
import { ReservationRepository } from './infrastructure/reservation.repository';
import { SkuRepository } from './infrastructure/sku.repository';
import { KeyAdminController } from './interface/key-admin.controller';
import { KeyImportController } from './interface/key-import.controller';
import { OrderEventsConsumer } from './interface/order-events.consumer';
import { RiskApprovedConsumer } from './interface/risk-approved.consumer';
import { SkusController } from './interface/skus.controller';
import { StockController } from './interface/stock.controller';

/** SKUs, the encrypted key pool, reservations with expiry and their events. */
@Module({
  controllers: [
    OrderEventsConsumer,
    RiskApprovedConsumer,
    SkusController,
    StockController,
    KeyImportController,
    KeyAdminController,
  ],
  providers: [
    { provide: INVENTORY_SETTINGS, useFactory: (): InventorySettings => loadInventorySettings() },
    {
      provide: EnvelopeCipher,
      inject: [INVENTORY_SETTINGS],
      useFactory: (settings: InventorySettings) =>
        new EnvelopeCipher(settings.masterKeys, settings.fingerprintKey),
    },
    RawKeyBody,
    SkuRepository,
    CardKeyRepository,
    KeyBatchRepository,
    ReservationRepository,
    StockEvents,
    LowStockWatch,
    StockReserver,
    UnopenableBatches,
    KeySealer,
    ReserveStockHandler,
    CommitStockHandler,
    ReleaseStockHandler,
    ExpiredReservationsWorker,
    LowStockWorker,
    ImportKeysHandler,
    RewrapBatchesHandler,
    DefineSkuHandler,
  ],
})
export class StockModule {}
