export * from './tracing';
export * from './span-attributes';
