export * from './backoff';
export * from './crash-point';
