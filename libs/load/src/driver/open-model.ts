/**
 * Open-model arrivals: the n-th order starts at its scheduled time whatever happened to the ones before, as
 * real buyers do. (A closed loop that waits for each answer would slow down with the system and hide its
 * latency.) `rateAt(elapsedSeconds)` gives orders/s, constant for a steady run, rising for a ramp.
 */
export async function runOpenModel(options: {
  count: number;
  rateAt: (elapsedSeconds: number) => number;
  start: (index: number) => Promise<unknown>;
  shouldStop?: () => boolean;
}): Promise<{ started: number; seconds: number }> {
  const began = Date.now();
  const inFlight: Promise<unknown>[] = [];
  let due = 0; // seconds since start at which the next order is due
  let started = 0;
  for (; started < options.count; started++) {
    if (options.shouldStop?.()) break;
    const wait = began + due * 1000 - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(options.start(started));
    due += 1 / Math.max(0.001, options.rateAt(due));
  }
  await Promise.all(inFlight);
  return { started, seconds: (Date.now() - began) / 1000 };
}
