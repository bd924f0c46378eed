/**
 * Named crash points for the kill -9 tests and the chaos run. A process started with
 * KEYFLOW_CRASH_AT=<point>[,<point>] kills itself with SIGKILL the first time it reaches that point,
 * which is exactly what an OOM kill or a power cut looks like to the rest of the system. Without the
 * variable this is a no-op.
 */
export type CrashPoint =
  | 'relay.after-publish-before-mark'
  | 'relay.before-publish'
  | 'consumer.after-commit-before-offset'
  | 'consumer.before-commit';

const armed = new Set(
  (process.env.KEYFLOW_CRASH_AT ?? '')
    .split(',')
    .map((point) => point.trim())
    .filter(Boolean),
);

export function crashPoint(point: CrashPoint): void {
  if (armed.size > 0 && armed.has(point)) {
    process.stderr.write(`KEYFLOW_CRASH_AT: killing process ${process.pid} at ${point}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}
