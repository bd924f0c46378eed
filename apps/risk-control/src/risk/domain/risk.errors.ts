/** Risk errors carry a stable code; the edges map them to HTTP statuses, exit codes and log lines. */
export abstract class RiskError extends Error {
  abstract readonly code: string;
}

/** The rules file does not say what the service needs; the service refuses to start with it. */
export class RiskRulesInvalidError extends RiskError {
  readonly code = 'RISK.RULES_INVALID';
  constructor(readonly problems: string[]) {
    super(`risk rules are invalid: ${problems.join('; ')}`);
    this.name = 'RiskRulesInvalidError';
  }
}

export class ReviewNotFoundError extends RiskError {
  readonly code = 'RISK.REVIEW_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`order ${orderId} has no manual review`);
    this.name = 'ReviewNotFoundError';
  }
}

/** A second decision on one review: the first one stands (and was already published). */
export class ReviewAlreadyDecidedError extends RiskError {
  readonly code = 'RISK.REVIEW_ALREADY_DECIDED';
  constructor(
    readonly orderId: string,
    readonly decision: string,
  ) {
    super(`the review of order ${orderId} was already decided: ${decision}`);
    this.name = 'ReviewAlreadyDecidedError';
  }
}

export class AuditNotFoundError extends RiskError {
  readonly code = 'RISK.AUDIT_NOT_FOUND';
  constructor(readonly orderId: string) {
    super(`order ${orderId} has no pass-first audit`);
    this.name = 'AuditNotFoundError';
  }
}

/** An audit is closed once: a second confirm or reverse changes nothing (the first one was published). */
export class AuditAlreadyClosedError extends RiskError {
  readonly code = 'RISK.AUDIT_ALREADY_CLOSED';
  constructor(
    readonly orderId: string,
    readonly closed: { status: string; by: string | null; at: string | null },
  ) {
    super(`the audit of order ${orderId} was already closed: ${closed.status} by ${closed.by ?? 'unknown'}`);
    this.name = 'AuditAlreadyClosedError';
  }
}
