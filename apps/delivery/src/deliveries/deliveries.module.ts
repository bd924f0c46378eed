import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

import {
  BuyerLinks,
  buyerLinkSettingsFromEnv,
  OrderAccessTokens,
  orderTokenSecretFromEnv,
} from '@keyflow/service-kit';

import { BuyerKeysQuery } from './application/buyer-keys.query';
import { CompleteDelivery } from './application/complete-delivery';
import { DeliveredKeys } from './application/delivered-keys';
import { DeliveryEvents } from './application/delivery-events';
import { DeliveryStatusQuery } from './application/delivery-status.query';
import { DeliveryOutcomeWriter } from './application/delivery-outcome-writer';
import { DeliveryWorker } from './application/delivery-worker';
import { RecordAttemptOutcome } from './application/record-attempt-outcome';
import { RecordDeliveryHandler } from './application/record-delivery.handler';
import { RedeliverHandler } from './application/redeliver.handler';
import { DELIVERY_SETTINGS, type DeliverySettings, loadDeliverySettings } from './config/delivery-settings';
import { DeliveryJobRepository } from './infrastructure/delivery-job.repository';
import { DeliveryRepository } from './infrastructure/delivery.repository';
import { KeyCipher } from './infrastructure/key-cipher';
import { RedeliveryRequestRepository } from './infrastructure/redelivery-request.repository';
import { SupplierRotationRepository } from './infrastructure/supplier-rotation.repository';
import { SupplierRegistry } from './infrastructure/suppliers/supplier-registry';
import { BuyerKeysController } from './interface/buyer-keys.controller';
import { DeliveriesController } from './interface/deliveries.controller';
import { SuppliersController } from './interface/suppliers.controller';
import { StockCommittedConsumer } from './interface/stock-committed.consumer';
import { AbandonedPurchasesController } from './interface/abandoned-purchases.controller';
import { AbandonedPurchaseRepository } from './infrastructure/abandoned-purchase.repository';
import { ReconcilePurchaseHandler } from './application/reconcile-purchase/reconcile-purchase.handler';

/**
 * Deliveries: pool hand-over, supplier purchases behind breakers with failover (operators can take a
 * supplier out of rotation), manual re-delivery, and the buyer's own keys for the status page.
 */
@Module({
  imports: [ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 600 }] })],
  controllers: [
    StockCommittedConsumer,
    DeliveriesController,
    SuppliersController,
    BuyerKeysController,
    AbandonedPurchasesController,
  ],
  providers: [
    {
      provide: BuyerLinks,
      useFactory: () =>
        new BuyerLinks(new OrderAccessTokens(orderTokenSecretFromEnv()), buyerLinkSettingsFromEnv()),
    },
    { provide: DELIVERY_SETTINGS, useFactory: (): DeliverySettings => loadDeliverySettings() },
    {
      provide: KeyCipher,
      inject: [DELIVERY_SETTINGS],
      useFactory: (settings: DeliverySettings) =>
        new KeyCipher(settings.keyEncryption.id, settings.keyEncryption.key),
    },
    DeliveryJobRepository,
    AbandonedPurchaseRepository,
    ReconcilePurchaseHandler,
    DeliveryRepository,
    RedeliveryRequestRepository,
    SupplierRegistry,
    DeliveredKeys,
    DeliveryEvents,
    CompleteDelivery,
    RecordDeliveryHandler,
    RecordAttemptOutcome,
    DeliveryOutcomeWriter,
    DeliveryWorker,
    RedeliverHandler,
    DeliveryStatusQuery,
    SupplierRotationRepository,
    BuyerKeysQuery,
  ],
})
export class DeliveriesModule {}
