import { failureKind, isTransientInfrastructureError } from './retry-policy';

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
