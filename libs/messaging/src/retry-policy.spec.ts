import { backoffDelay, failureKind, isTransientInfrastructureError } from './retry-policy';

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 1000 };

  it('doubles the ceiling per attempt up to the maximum, jittered within its upper half', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });
});

describe('isTransientInfrastructureError', () => {
  it('treats lost connections and an unavailable database as outages, not message faults', () => {
    expect(
      isTransientInfrastructureError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })),
    ).toBe(true);
    expect(isTransientInfrastructureError({ driverError: { code: '57P01' } })).toBe(true);
    expect(isTransientInfrastructureError({ code: '08006' })).toBe(true);
    expect(isTransientInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('treats everything else as the handler’s failure', () => {
    expect(isTransientInfrastructureError(new Error('simulated handler bug'))).toBe(false);
    expect(isTransientInfrastructureError({ code: '23505' })).toBe(false);
    expect(isTransientInfrastructureError('a string')).toBe(false);
  });
});

describe('failureKind', () => {
  it('answers a deadlock, a serialization failure or a lock timeout with a retry in smaller pieces', () => {
    expect(failureKind({ driverError: { code: '40P01' } })).toBe('contention');
    expect(failureKind(Object.assign(new Error('could not serialize access'), { code: '40001' }))).toBe(
      'contention',
    );
    expect(failureKind({ code: '55P03' })).toBe('contention');
    // And the one-message path still never dead-letters them.
    expect(isTransientInfrastructureError({ code: '40P01' })).toBe(true);
  });

  it('answers an outage with waiting, and anything else by blaming the message', () => {
    expect(failureKind(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('infrastructure');
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('infrastructure');
    expect(failureKind(new Error('simulated handler bug'))).toBe('message');
    expect(failureKind({ code: '23505' })).toBe('message');
    expect(failureKind(undefined)).toBe('message');
  });
});
