import 'reflect-metadata';

export * from './topics';
export * from './envelope';
export * from './headers';
export * from './event-catalog';
export * from './json-schemas';
export * from './catalog';
export * from './subscriptions';
export * from './events/common';
export * from './events/order.events';
export * from './events/payment.events';
export * from './events/stock.events';
export * from './events/risk.events';
export * from './events/delivery.events';
export * from './events/notification.events';
export * from './events/alert.events';
export * from './pay-link/pay-link';
export * from './pay-link/pay-link-keys';
