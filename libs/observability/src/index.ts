export * from './tracing';
export * from './span-attributes';
export * from './metrics';
export * from './order-spans';
