import { canRunLow, lowStockTransition, supplierAvailable } from './low-stock';

describe('low-stock crossing', () => {
  it('fires once when stock falls below the threshold, then stays quiet while below', () => {
    const states = [5, 4, 3, 2, 1, 0];
    let armed = true;
    const fired: number[] = [];
    for (const available of states) {
      const transition = lowStockTransition({ armed, threshold: 3, available });
      if (transition === 'cross') fired.push(available);
      if (transition !== 'none') armed = transition === 'rearm';
    }
    expect(fired).toEqual([2]);
  });

  it('re-arms at or above the threshold and fires again on the next crossing', () => {
    expect(lowStockTransition({ armed: false, threshold: 3, available: 3 })).toBe('rearm');
    expect(lowStockTransition({ armed: false, threshold: 3, available: 2 })).toBe('none');
    expect(lowStockTransition({ armed: true, threshold: 3, available: 2 })).toBe('cross');
  });

  it('never fires for unlimited stock or a zero threshold', () => {
    expect(lowStockTransition({ armed: true, threshold: 10, available: null })).toBe('none');
    expect(lowStockTransition({ armed: false, threshold: 10, available: null })).toBe('rearm');
    expect(lowStockTransition({ armed: true, threshold: 0, available: 0 })).toBe('none');
  });

  it('judges a count capped at the threshold exactly like the full count (the pool is counted up to it)', () => {
    for (const armed of [true, false])
      for (let threshold = 0; threshold <= 5; threshold++)
        for (let available = 0; available <= 8; available++) {
          const capped = Math.min(available, threshold);
          expect(lowStockTransition({ armed, threshold, available: capped })).toBe(
            lowStockTransition({ armed, threshold, available }),
          );
          if (capped < threshold) expect(capped).toBe(available); // reported in stock.low: exact
        }
  });

  it('counts supplier stock left under the limit, unlimited without one', () => {
    expect(supplierAvailable({ supplierStockLimit: 10, supplierReserved: 3, supplierSold: 4 })).toBe(3);
    expect(supplierAvailable({ supplierStockLimit: null, supplierReserved: 3, supplierSold: 4 })).toBeNull();
  });

  it('knows the SKUs that can never run low: a zero threshold, or unlimited supplier stock', () => {
    expect(canRunLow({ source: 'pool', lowStockThreshold: 10, supplierStockLimit: null })).toBe(true);
    expect(canRunLow({ source: 'pool', lowStockThreshold: 0, supplierStockLimit: null })).toBe(false);
    expect(canRunLow({ source: 'supplier', lowStockThreshold: 5, supplierStockLimit: 100 })).toBe(true);
    expect(canRunLow({ source: 'supplier', lowStockThreshold: 5, supplierStockLimit: null })).toBe(false);
    expect(canRunLow({ source: 'supplier', lowStockThreshold: 0, supplierStockLimit: 100 })).toBe(false);
  });
});
