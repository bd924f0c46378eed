import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { paymentCallbackConfig } from './payment-callback.config';
import { PaymentsModule } from './payments/payments.module';
import { PaymentsTables1732400000000 } from './payments/infrastructure/payments-tables.migration';

/** payment-callback: payment intents and provider callbacks (raw + verdict): confirms, rejects, refunds. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: paymentCallbackConfig(),
      publishes: [Topics.payments],
      migrations: [PaymentsTables1732400000000],
    }),
    PaymentsModule,
  ],
})
export class AppModule {}
