/** Fault switches of one sandbox supplier, changed at run time with POST /suppliers/:id/faults. */
export interface Faults {
  /** Purchases are processed (keys issued) and then answered this much later: "it went through, slowly". */
  latencyMs: number;
  /** Share of purchases refused with 503 before being processed (0..1). */
  errorRate: number;
  /** Every request is refused with 503, unprocessed. */
  outage: boolean;
  /** Requests are never answered and never processed (the connection just hangs). */
  hang: boolean;
}

export const NO_FAULTS: Faults = { latencyMs: 0, errorRate: 0, outage: false, hang: false };

/** `recover: true` clears every switch; otherwise the given switches change and the rest stay. */
export function applyFaults(current: Faults, change: Partial<Faults> & { recover?: boolean }): Faults {
  const { recover, ...switches } = change;
  const base = recover ? NO_FAULTS : current;
  return {
    ...base,
    ...Object.fromEntries(Object.entries(switches).filter(([, value]) => value !== undefined)),
  };
}
