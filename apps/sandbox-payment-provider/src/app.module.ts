import { Module } from '@nestjs/common';

import { HealthController } from './health.controller';
import { CallbackDispatcher } from './payments/application/callback-dispatcher';
import { FaultSwitches } from './payments/application/fault-switches';
import { PaymentLedger } from './payments/application/payment-ledger';
import { sandboxKeysProvider } from './payments/sandbox-keys.provider';
import { SandboxFaultsController } from './payments/sandbox-faults.controller';
import { SandboxPaymentsController } from './payments/sandbox-payments.controller';
import { AlipayWireController } from './payments/wire/alipay-wire.controller';
import { StripeWireController } from './payments/wire/stripe-wire.controller';
import { WechatWireController } from './payments/wire/wechat-wire.controller';
import { SANDBOX_CONFIG, type SandboxConfig } from './sandbox.config';

/** A stand-in payment provider (Alipay, WeChat Pay and Stripe flavors) for the demo and the tests. */
@Module({})
export class AppModule {
  static forConfig(config: SandboxConfig) {
    return {
      module: AppModule,
      controllers: [
        SandboxPaymentsController,
        SandboxFaultsController,
        HealthController,
        StripeWireController,
        AlipayWireController,
        WechatWireController,
      ],
      providers: [
        { provide: SANDBOX_CONFIG, useValue: config },
        sandboxKeysProvider,
        PaymentLedger,
        FaultSwitches,
        CallbackDispatcher,
      ],
    };
  }
}
