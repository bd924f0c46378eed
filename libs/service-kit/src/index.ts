export * from './config/service-config';
export * from './database/database.module';
export * from './database/prepare-data-source';
export * from './messaging/messaging.module';
export * from './health/health.module';
export * from './health/kafka-health.indicator';
export * from './service.module';
export * from './bootstrap';
