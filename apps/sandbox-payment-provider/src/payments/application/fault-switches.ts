import { Injectable } from '@nestjs/common';

export interface Faults {
  /** Callbacks are never sent (lost on the way): only the merchant's active query can find the payment. */
  dropCallbacks: boolean;
  /** Share of payments (0–1) whose callbacks are all lost, decided per payment: "some callbacks never come". */
  dropCallbackRate: number;
  /** Added before every callback attempt. */
  delayMs: number;
  /** Each callback attempt is sent this many times at once. */
  duplicate: number;
  /** A stale "not yet paid" notification is sent after the success one. */
  outOfOrder: boolean;
  /** The create-payment API answers 503: the provider is down for merchants. */
  failCreates: boolean;
  /** Added before the create-payment API answers (a slow provider). */
  createDelayMs: number;
}

export const NO_FAULTS: Faults = {
  dropCallbacks: false,
  dropCallbackRate: 0,
  delayMs: 0,
  duplicate: 1,
  outOfOrder: false,
  failCreates: false,
  createDelayMs: 0,
};

/** Fault injection for tests and demos, switched with POST /sandbox/faults. */
@Injectable()
export class FaultSwitches {
  private current: Faults = NO_FAULTS;

  get(): Faults {
    return this.current;
  }

  /** Replaces all switches; omitted ones go back to normal. */
  set(faults: Partial<Faults>): Faults {
    this.current = { ...NO_FAULTS, ...faults };
    return this.current;
  }
}
