import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const ordersConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'orders', schema: 'orders', defaultPort: 3001 });
