/** Errors carry a stable code so edges can map them to HTTP statuses and DLQ reasons. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';

  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${expected}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** An event about to be published does not satisfy its contract: a bug in the producing service. */
export class ContractViolationError extends Error {
  readonly code = 'EVENT_STORE.CONTRACT_VIOLATION';

  constructor(
    readonly type: string,
    readonly violations: string[],
  ) {
    super(`${type} violates its contract: ${violations.join('; ')}`);
    this.name = 'ContractViolationError';
  }
}
