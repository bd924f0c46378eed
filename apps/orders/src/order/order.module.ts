import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

import { BuyerLinks, buyerLinkSettingsFromEnv, OrderAccessTokens } from '@keyflow/service-kit';

import {
  ADMISSION_SETTINGS,
  admissionSettingsFromEnv,
} from './application/admit-checkout/admission-settings';
import { CheckoutAdmission } from './application/admit-checkout/checkout-admission';
import { ExpiredOrderCanceller } from './application/cancel-expired-orders/expired-order-canceller';
import { ExecuteOrderCommand } from './application/execute-order-command';
import { ORDERS_SETTINGS, type OrdersSettings, ordersSettingsFromEnv } from './application/orders-settings';
import { RefundOrderHandler } from './application/refund-order/refund-order.handler';
import { PlaceOrderHandler } from './application/place-order/place-order.handler';
import { SLA_SETTINGS, slaSettingsFromEnv } from './application/sla-watch/sla-settings';
import { SlaWatch } from './application/sla-watch/sla-watch';
import { DelayGauges } from './infrastructure/delay-gauges';
import { OrderRepository } from './infrastructure/order.repository';
import { StageEventsConsumer } from './infrastructure/stage-events.consumer';
import { AdminController } from './interface/admin.controller';
import { DashboardController } from './interface/dashboard.controller';
import { CheckoutController } from './interface/checkout.controller';
import { CheckoutFrontDoor } from './interface/checkout-front-door';
import { OperatorActionsController } from './interface/operator-actions.controller';
import { OrdersQueryController } from './interface/orders-query.controller';

/** The event-sourced Order: checkout, stage events from every service, read models and their APIs. */
@Module({
  imports: [ThrottlerModule.forRoot({ throttlers: [{ name: 'default', ttl: 60_000, limit: 600 }] })],
  controllers: [
    CheckoutController,
    OrdersQueryController,
    OperatorActionsController,
    DashboardController,
    AdminController,
    StageEventsConsumer,
  ],
  providers: [
    { provide: ORDERS_SETTINGS, useFactory: ordersSettingsFromEnv },
    { provide: SLA_SETTINGS, useFactory: slaSettingsFromEnv },
    { provide: ADMISSION_SETTINGS, useFactory: admissionSettingsFromEnv },
    {
      provide: OrderAccessTokens,
      inject: [ORDERS_SETTINGS],
      useFactory: (settings: OrdersSettings) => new OrderAccessTokens(settings.tokenSecret),
    },
    {
      provide: BuyerLinks,
      inject: [OrderAccessTokens],
      useFactory: (tokens: OrderAccessTokens) => new BuyerLinks(tokens, buyerLinkSettingsFromEnv()),
    },
    OrderRepository,
    ExecuteOrderCommand,
    PlaceOrderHandler,
    CheckoutAdmission,
    RefundOrderHandler,
    ExpiredOrderCanceller,
    SlaWatch,
    CheckoutFrontDoor,
    DelayGauges,
  ],
})
export class OrderModule {}
