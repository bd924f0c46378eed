import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const notificationConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'notification', schema: 'notification', defaultPort: 3006 });
