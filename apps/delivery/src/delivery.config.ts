import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const deliveryConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'delivery', schema: 'delivery', defaultPort: 3005 });
