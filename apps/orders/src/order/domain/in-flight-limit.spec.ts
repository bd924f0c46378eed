import { InFlightLimit } from './in-flight-limit';

describe('the cap on checkouts in flight', () => {
  it('lets in up to the cap, refuses past it, and lets in again once one leaves', () => {
    const limit = new InFlightLimit(2);
    expect(limit.tryEnter()).toBe(true);
    expect(limit.tryEnter()).toBe(true);
    expect(limit.tryEnter()).toBe(false);
    expect(limit.inFlight).toBe(2);
    limit.leave();
    expect(limit.tryEnter()).toBe(true);
    expect(limit.tryEnter()).toBe(false);
  });

  it('has no cap when none is set', () => {
    const limit = new InFlightLimit(undefined);
    for (let i = 0; i < 10_000; i++) expect(limit.tryEnter()).toBe(true);
  });

  it('never counts below zero, so a stray leave cannot open extra places', () => {
    const limit = new InFlightLimit(1);
    limit.leave();
    expect(limit.tryEnter()).toBe(true);
    expect(limit.tryEnter()).toBe(false);
  });
});
