import { LowStockChecks } from './low-stock-checks';

describe('LowStockChecks', () => {
  it('given a SKU noted many times, when taken, then it is checked once', () => {
    const checks = new LowStockChecks(1000);
    for (let order = 0; order < 50; order++) checks.note('A', true);
    expect(checks.takeDue(0)).toEqual([{ sku: 'A', mayFire: true }]);
    expect(checks.takeDue(1)).toEqual([]);
    expect(checks.nextDueInMs(1)).toBeUndefined();
  });

  it('given a SKU checked just now, when noted again, then it waits out the gap', () => {
    const checks = new LowStockChecks(1000);
    checks.note('A', true);
    checks.takeDue(10_000);
    checks.note('A', true);
    expect(checks.takeDue(10_400)).toEqual([]);
    expect(checks.nextDueInMs(10_400)).toBe(600);
    expect(checks.takeDue(11_000)).toEqual([{ sku: 'A', mayFire: true }]);
  });

  it('given SKUs noted apart, when one waits out its gap, then the others are not held back', () => {
    const checks = new LowStockChecks(1000);
    checks.note('A', true);
    checks.takeDue(0);
    checks.note('A', true);
    checks.note('B', true);
    expect(checks.takeDue(100)).toEqual([{ sku: 'B', mayFire: true }]);
    expect(checks.nextDueInMs(100)).toBe(900);
  });

  it('given only raises noted, when taken, then the check may not fire; one lowering change lets it', () => {
    const checks = new LowStockChecks(1000);
    checks.note('A', false);
    checks.note('A', false);
    expect(checks.takeDue(0)).toEqual([{ sku: 'A', mayFire: false }]);
    checks.note('B', false);
    checks.note('B', true);
    checks.note('B', false);
    expect(checks.takeDue(0)).toEqual([{ sku: 'B', mayFire: true }]);
  });

  it('given a SKU noted while it was being checked, when the gap has passed, then it is checked again', () => {
    const checks = new LowStockChecks(1000);
    checks.note('A', true);
    checks.takeDue(0); // the check starts; an order commits after its count
    checks.note('A', true);
    expect(checks.takeDue(999)).toEqual([]);
    expect(checks.takeDue(1000)).toEqual([{ sku: 'A', mayFire: true }]);
  });
});
