export * from './sealed-box';
export * from './sealed-box.errors';
//# sourceMappingURL=index.d.ts.map
