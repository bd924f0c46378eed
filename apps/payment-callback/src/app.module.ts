import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { paymentCallbackConfig } from './payment-callback.config';
import { PaymentsModule } from './payments/payments.module';
import { CallbackBodyEncoding1764201600000 } from './payments/infrastructure/callback-body-encoding.migration';
import { PaymentsTables1732400000000 } from './payments/infrastructure/payments-tables.migration';

/** payment-callback: payment intents and provider callbacks (raw + verdict): confirms, rejects, refunds. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: paymentCallbackConfig(),
      // alerts: a transaction id that already paid another order is raised for a person.
      publishes: [Topics.payments, Topics.alerts],
      migrations: [PaymentsTables1732400000000, CallbackBodyEncoding1764201600000],
    }),
    PaymentsModule,
  ],
})
export class AppModule {}
