import { CapacityMemory } from './capacity-memory';

describe('capacity memory', () => {
  it('holds the best rate of the window, not the latest', () => {
    const memory = new CapacityMemory(60_000);
    memory.remember(40, 0);
    memory.remember(2, 1_000);
    memory.remember(0, 2_000);
    expect(memory.best(2_000)).toBe(40);
  });

  it('forgets a rate older than the memory and falls back to the best one after it', () => {
    const memory = new CapacityMemory(60_000);
    memory.remember(40, 0);
    memory.remember(25, 30_000);
    memory.remember(5, 50_000);
    expect(memory.best(60_000)).toBe(40);
    expect(memory.best(60_001)).toBe(25);
    expect(memory.best(90_001)).toBe(5);
    expect(memory.best(110_001)).toBeUndefined();
  });

  it('lets a higher rate replace the lower ones before it', () => {
    const memory = new CapacityMemory(60_000);
    memory.remember(10, 0);
    memory.remember(30, 1_000);
    expect(memory.best(60_500)).toBe(30);
  });
});
