import { loadServiceConfig, type ServiceConfig } from '@keyflow/service-kit';

export const paymentCallbackConfig = (): ServiceConfig =>
  loadServiceConfig({ service: 'payment-callback', schema: 'payments', defaultPort: 3002 });
