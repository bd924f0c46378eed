export class UnknownProductError extends Error {
  readonly code = 'CHECKOUT.UNKNOWN_PRODUCT';
  constructor(readonly sku: string) {
    super(`no product with sku ${sku} is on sale`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  readonly code = 'CHECKOUT.IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('this Idempotency-Key was already used for a different checkout request');
  }
}
