export * from './sealed-box';
export * from './sealed-box.errors';
