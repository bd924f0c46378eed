import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { paymentCallbackConfig } from './payment-callback.config';

runServiceOrExit(AppModule, paymentCallbackConfig);
