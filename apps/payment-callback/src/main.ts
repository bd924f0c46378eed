import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { paymentCallbackConfig } from './payment-callback.config';
import { loadPaymentsConfig } from './payments/config/payments.config';

// The payment settings are checked with the service's own, so a bad one exits 78 naming the variable.
runServiceOrExit(AppModule, () => {
  loadPaymentsConfig();
  return paymentCallbackConfig();
});
