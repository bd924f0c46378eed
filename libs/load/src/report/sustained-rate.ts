/** One buyer's arrival (checkout started) and, when the goods reached them, that time; ms since epoch. */
export interface Arrival {
  arrivedAt: number;
  completedAt?: number;
}

export interface SustainedRateOptions {
  /** Width of the arrival windows (5 s). */
  windowMs?: number;
  /** Share of a window's arrivals that must complete in time (95 %). */
  minShare?: number;
  /** Arrival → goods notified, the most a completion may lag to count as keeping up (10 s). */
  maxLagMs?: number;
}

export const SUSTAINED_DEFAULTS: Required<SustainedRateOptions> = {
  windowMs: 5000,
  minShare: 0.95,
  maxLagMs: 10_000,
};

/**
 * The highest arrival rate at which completions kept up. Arrivals are cut into consecutive windows from the
 * first one; a window kept up when at least `minShare` of the orders that arrived in it were completed
 * within `maxLagMs` of arriving (a shed, failed or late order does not count). The answer is the highest
 * arrivals/s among the full windows before the first that did not keep up (a lucky window after the
 * pipeline fell behind does not count); 0 when the first window already fell behind. A trailing window
 * shorter than `windowMs` is left out, since its rate would read low.
 */
export function sustainedRate(arrivals: readonly Arrival[], options: SustainedRateOptions = {}): number {
  const { minShare } = { ...SUSTAINED_DEFAULTS, ...options };
  let best = 0;
  for (const window of arrivalWindows(arrivals, options)) {
    if (window.arrived > 0 && window.kept < minShare * window.arrived) break;
    best = Math.max(best, window.arrived_per_s);
  }
  return Number(best.toFixed(1));
}

/** One full arrival window: when it started (s from the first arrival), its arrivals and how many kept up. */
export interface ArrivalWindow {
  from_s: number;
  arrived: number;
  arrived_per_s: number;
  /** Completed within `maxLagMs` of arriving. */
  kept: number;
}

/**
 * The full windows sustainedRate judges, in order, so a report can show where completions stopped keeping up
 * (a cold start's first window, or the pipeline's real limit further into a ramp).
 */
export function arrivalWindows(
  arrivals: readonly Arrival[],
  options: SustainedRateOptions = {},
): ArrivalWindow[] {
  const { windowMs, maxLagMs } = { ...SUSTAINED_DEFAULTS, ...options };
  if (arrivals.length === 0) return [];
  const sorted = [...arrivals].sort((a, b) => a.arrivedAt - b.arrivedAt);
  const first = sorted[0].arrivedAt;
  const last = sorted[sorted.length - 1].arrivedAt;
  const fullWindows = Math.max(1, Math.floor((last - first) / windowMs));
  const windows = Array.from({ length: fullWindows }, (_, i) => ({
    from_s: (i * windowMs) / 1000,
    arrived: 0,
    arrived_per_s: 0,
    kept: 0,
  }));
  for (const arrival of sorted) {
    const index = Math.floor((arrival.arrivedAt - first) / windowMs);
    if (index >= fullWindows) break;
    windows[index].arrived += 1;
    if (arrival.completedAt !== undefined && arrival.completedAt - arrival.arrivedAt <= maxLagMs)
      windows[index].kept += 1;
  }
  for (const window of windows)
    window.arrived_per_s = Number((window.arrived / (windowMs / 1000)).toFixed(1));
  return windows;
}
