/**
 * Named crash points for the kill -9 tests and the chaos run, one switch for every process: started with
 * KEYFLOW_CRASH_AT=<point>[,<point>], a process kills itself with SIGKILL the first time it reaches one of
 * those points, which is exactly what an OOM kill or a power cut looks like to the rest of the system.
 * Without the variable this is a no-op (one Set lookup).
 *
 * Points are named `<area>.<moment>` (e.g. `relay.after-publish-before-mark`, `delivery.after-purchase`);
 * each caller declares its own as a string-literal type so a typo fails to compile.
 */
export const CRASH_AT_VARIABLE = 'KEYFLOW_CRASH_AT';

const armed = parseCrashPoints(process.env[CRASH_AT_VARIABLE]);

export function crashPoint(point: string): void {
  if (armed.size > 0 && armed.has(point)) {
    process.stderr.write(`${CRASH_AT_VARIABLE}: killing process ${process.pid} at ${point}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

export function parseCrashPoints(value: string | undefined): ReadonlySet<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((point) => point.trim())
      .filter(Boolean),
  );
}
