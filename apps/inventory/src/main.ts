import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { inventoryConfig } from './inventory.config';

runServiceOrExit(AppModule, inventoryConfig);
