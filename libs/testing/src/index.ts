export * from './decider-spec';
export * from './test-infrastructure';
export * from './topic-probe';
export * from './service-process';
export * from './order-source';
export * from './otlp-receiver';
export * from './event-publisher';
export * from './smtp-sink';
