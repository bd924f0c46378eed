/**
 * Named crash points for the kill -9 tests, the same switch as libs/messaging's: a process started with
 * KEYFLOW_CRASH_AT=<point> kills itself with SIGKILL the first time it gets there. Without it, a no-op.
 */
export type NotificationCrashPoint = 'notification.after-claim';

const armed = new Set(
  (process.env.KEYFLOW_CRASH_AT ?? '')
    .split(',')
    .map((point) => point.trim())
    .filter(Boolean),
);

export function crashPoint(point: NotificationCrashPoint): void {
  if (armed.has(point)) {
    process.stderr.write(`KEYFLOW_CRASH_AT: killing process ${process.pid} at ${point}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
