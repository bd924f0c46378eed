import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { riskControlConfig } from './risk-control.config';

runServiceOrExit(AppModule, riskControlConfig);
