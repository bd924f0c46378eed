import { backoffDelay, isTransientInfrastructureError } from './retry-policy';

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
