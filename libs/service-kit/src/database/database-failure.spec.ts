import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

import { isDatabaseFailure } from './database-failure';

describe('isDatabaseFailure', () => {
  const pgError = (code: string) => Object.assign(new DatabaseError('boom', 0, 'error'), { code });

  it.each([
    ['a statement Postgres refused', new QueryFailedError('SELECT 1', [], pgError('42P01'))],
    ['a deadlock', new QueryFailedError('UPDATE', [], pgError('40P01'))],
    ['a bare pg error', pgError('57014')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that waited too long', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_what, error) => expect(isDatabaseFailure(error)).toBe(true));

  it.each([
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a non-error', 'nope'],
  ])('is false for %s', (_what, error) => expect(isDatabaseFailure(error)).toBe(false));
});
