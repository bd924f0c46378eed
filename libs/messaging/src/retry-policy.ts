/**
 * Failures that say nothing about the message: the database or the network is away. Retrying them
 * forever (with backoff) is right; sending the message to the dead-letter topic would punish it for an
 * outage. Everything else is retried a bounded number of times, then dead-lettered.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  if (isLockContention(error)) return true;
  const candidate = driverErrorOf(error);
  const code = (candidate as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string') {
    if (/^08/.test(code)) return true; // connection exception
    if (['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code))
      return true;
  }
  const message = candidate instanceof Error ? candidate.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/**
 * Transactions that got in each other's way: a deadlock (40P01), a serialization failure (40001) or a
 * lock wait that timed out (55P03). Nothing is wrong with the message or the database; running the same
 * work again, in smaller transactions, succeeds. Never a reason to dead-letter.
 */
export function isLockContention(error: unknown): boolean {
  const code = (driverErrorOf(error) as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && ['40001', '40P01', '55P03'].includes(code);
}

/** How a failed attempt is answered: wait and retry as it was, retry in smaller pieces, or blame the message. */
export type FailureKind = 'infrastructure' | 'contention' | 'message';

export function failureKind(error: unknown): FailureKind {
  if (isLockContention(error)) return 'contention';
  return isTransientInfrastructureError(error) ? 'infrastructure' : 'message';
}

function driverErrorOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  return (error as { driverError?: unknown }).driverError ?? error;
}
