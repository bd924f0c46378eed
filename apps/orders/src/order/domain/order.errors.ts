/** Domain errors carry a stable code; the edges map them to HTTP statuses and log lines. */
export abstract class OrderError extends Error {
  abstract readonly code: string;
}

export class OrderAlreadyExistsError extends OrderError {
  readonly code = 'ORDER.ALREADY_EXISTS';
  constructor(readonly orderId: string) {
    super(`order ${orderId} already exists`);
    this.name = 'OrderAlreadyExistsError';
  }
}

export class OrderNotFoundError extends OrderError {
  readonly code = 'ORDER.NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`order ${orderId} does not exist`);
    this.name = 'OrderNotFoundError';
  }
}

/** A stage event that cannot happen in the order's current state (e.g. delivered before paid). */
export class IllegalTransitionError extends OrderError {
  readonly code = 'ORDER.ILLEGAL_TRANSITION';
  constructor(
    readonly orderId: string,
    readonly status: string,
    readonly command: string,
  ) {
    super(`order ${orderId} is ${status}: ${command} is not allowed`);
    this.name = 'IllegalTransitionError';
  }
}

export class PaymentAmountMismatchError extends OrderError {
  readonly code = 'ORDER.PAYMENT_AMOUNT_MISMATCH';
  constructor(readonly orderId: string) {
    super(`order ${orderId}: the confirmed payment does not match the order total`);
    this.name = 'PaymentAmountMismatchError';
  }
}
