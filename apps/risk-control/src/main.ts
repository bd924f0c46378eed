import './instrumentation';

import { runServiceOrExit } from '@keyflow/service-kit';

import { AppModule } from './app.module';
import { loadRiskSettings } from './risk/config/risk-settings';
import { riskControlConfig } from './risk-control.config';

runServiceOrExit(AppModule, () => {
  // Checked before anything starts, so a bad rules file stops the service with exit 78 and its name.
  loadRiskSettings();
  return riskControlConfig();
});
