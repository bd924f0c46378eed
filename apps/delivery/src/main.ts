import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { deliveryConfig } from './delivery.config';

runServiceOrExit(AppModule, deliveryConfig);
