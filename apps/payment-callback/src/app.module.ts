import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { paymentCallbackConfig } from './payment-callback.config';

/** payment-callback: payment intents and provider callbacks (raw + verdict): confirms, rejects, refunds. */
@Module({
  imports: [ServiceModule.forRoot({ config: paymentCallbackConfig(), publishes: [Topics.payments] })],
})
export class AppModule {}
