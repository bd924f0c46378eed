/**
 * delivery's own crash points for the kill -9 tests (same idea as KEYFLOW_CRASH_AT in libs/messaging):
 * DELIVERY_CRASH_AT=worker.after-purchase kills the process with SIGKILL right after a supplier sold
 * the keys and before the delivery is recorded — the worst moment to die.
 */
export type DeliveryCrashPoint = 'worker.after-purchase';

const armed = new Set((process.env.DELIVERY_CRASH_AT ?? '').split(',').map((point) => point.trim()));

export function deliveryCrashPoint(point: DeliveryCrashPoint): void {
  if (armed.has(point)) {
    process.stderr.write(`DELIVERY_CRASH_AT: killing process ${process.pid} at ${point}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
