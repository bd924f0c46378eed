import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const inventoryConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'inventory', schema: 'inventory', defaultPort: 3003 });
