import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';

import { ActiveQueryWorker } from './application/active-query/active-query.worker';
import { AlipayCallbackController } from './application/accept-callback/alipay-callback.controller';
import { AcceptCallbackHandler } from './application/accept-callback/accept-callback.handler';
import { TradeNoReuseAlert } from './application/accept-callback/trade-no-reuse.alert';
import { StripeCallbackController } from './application/accept-callback/stripe-callback.controller';
import { WechatCallbackController } from './application/accept-callback/wechat-callback.controller';
import { RecordPaymentHandler } from './application/confirm-payment/record-payment.handler';
import { CreateAtProviderHandler } from './application/create-at-provider/create-at-provider.handler';
import { CreateAtProviderWorker } from './application/create-at-provider/create-at-provider.worker';
import { OpenIntentHandler } from './application/open-intent/open-intent.handler';
import { OrderPlacedConsumer } from './application/open-intent/order-placed.consumer';
import { PaymentProviderPort } from './application/payment-provider.port';
import { PayRedirectController } from './application/redirect-to-cashier/pay-redirect.controller';
import { PayHandler } from './application/redirect-to-cashier/pay.handler';
import { RefundRequestedConsumer } from './application/refund/refund-requested.consumer';
import { RefundWorker } from './application/refund/refund.worker';
import { RequestRefundHandler } from './application/refund/request-refund.handler';
import { loadPaymentsConfig, PAYMENTS_CONFIG, type PaymentsConfig } from './config/payments.config';
import { CallbackLogRepository } from './infrastructure/callback-log.repository';
import { PaymentIntentRepository } from './infrastructure/payment-intent.repository';
import { RawCallbackBody } from './infrastructure/raw-callback-body';
import { RefundRepository } from './infrastructure/refund.repository';
import { ProviderRouter } from './infrastructure/providers/provider-router';
import { MeteredPaymentProvider } from './infrastructure/metered-payment-provider';

const MINUTE_MS = 60_000;

/**
 * Payment intents, provider callbacks, active query and refunds. Public endpoints are rate limited per
 * client address: buyers' pay URLs by `default`, provider callbacks by their own, higher `callbacks` limit.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      useFactory: () => {
        const config = loadPaymentsConfig();
        return [
          { name: 'default', ttl: MINUTE_MS, limit: config.rateLimitPerMinute },
          { name: 'callbacks', ttl: MINUTE_MS, limit: config.callbackRateLimitPerMinute },
        ];
      },
    }),
  ],
  controllers: [
    OrderPlacedConsumer,
    RefundRequestedConsumer,
    PayRedirectController,
    AlipayCallbackController,
    WechatCallbackController,
    StripeCallbackController,
  ],
  providers: [
    { provide: PAYMENTS_CONFIG, useFactory: (): PaymentsConfig => loadPaymentsConfig() },
    {
      provide: PaymentProviderPort,
      // Every provider client, real or sandbox, measured by one decorator (keyflow_payment_provider_*).
      useFactory: (config: PaymentsConfig) => new MeteredPaymentProvider(ProviderRouter.fromConfig(config)),
      inject: [PAYMENTS_CONFIG],
    },
    RawCallbackBody,
    PaymentIntentRepository,
    CallbackLogRepository,
    RefundRepository,
    RecordPaymentHandler,
    OpenIntentHandler,
    AcceptCallbackHandler,
    TradeNoReuseAlert,
    RequestRefundHandler,
    CreateAtProviderHandler,
    PayHandler,
    CreateAtProviderWorker,
    ActiveQueryWorker,
    RefundWorker,
  ],
})
export class PaymentsModule {}
