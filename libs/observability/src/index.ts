export * from './tracing';
export * from './span-attributes';
export * from './metrics';
export * from './order-spans';
export * from './poll-sampler';
export * from './order-log-context';
