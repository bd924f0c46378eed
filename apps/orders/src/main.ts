import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { ordersConfig } from './orders.config';

runServiceOrExit(AppModule, ordersConfig);
