import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const riskControlConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'risk-control', schema: 'risk', defaultPort: 3004 });
