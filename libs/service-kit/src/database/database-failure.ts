import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

import { isTransientInfrastructureError } from '@keyflow/messaging';

/**
 * The database could not do a request's work just now: a statement failed in Postgres (an outage, a
 * deadlock, a cancelled or timed-out statement, a missing relation during a migration), the connection
 * dropped, or the pool gave up waiting for one. Nothing the caller sent is at fault, so an HTTP answer says
 * "come back later" (503 + Retry-After), never a bare 500.
 */
export function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof QueryFailedError || error instanceof DatabaseError) return true;
  if (isTransientInfrastructureError(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}
