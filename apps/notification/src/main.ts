import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { notificationConfig } from './notification.config';

runServiceOrExit(AppModule, notificationConfig);
