/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time is computed from. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
    hitCount?: number;
  }>;
  /** Microseconds, on the profiled process's own clock. */
  startTime: number;
  endTime: number;
  samples?: number[];
  /** Microseconds from the previous sample (the first: from startTime), one per sample. */
  timeDeltas?: number[];
}

/** Only the samples between these offsets from the start of the profile (ms), e.g. the load, not the boot. */
export interface ProfileWindow {
  fromMs: number;
  toMs?: number;
}

export interface HotFunction {
  /** `name (file:line)`, or V8's own entries such as `(garbage collector)`. */
  function: string;
  selfMs: number;
  /** Share of the profile's busy time (everything but `(idle)`). */
  share: number;
}

/** V8 bookkeeping nodes: not functions of ours, shown by their own name. */
const IDLE = '(idle)';

function frameName(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  // <package>/… for dependencies, apps/… or libs/… for ours, else the last three path segments.
  const url = frame.url.replace(/^file:\/\//, '');
  const modules = url.lastIndexOf('node_modules/');
  const ours = /\/((?:apps|libs)\/.*)$/.exec(url)?.[1];
  const short =
    modules >= 0 ? url.slice(modules + 'node_modules/'.length) : (ours ?? url.split('/').slice(-3).join('/'));
  return `${name} (${short}:${frame.lineNumber + 1})`;
}

/**
 * The functions that spent the most time on the CPU themselves (self time: samples taken while the function
 * was on top of the stack), summed over every call path, each sample worth the profile's duration ÷ samples.
 * Idle time is left out of both the list and the shares. With a window (and the profile's timeDeltas), only
 * the samples inside it count, e.g. the load rather than the service's start.
 */
export function hotFunctions(profile: CpuProfile, top = 10, window?: ProfileWindow): HotFunction[] {
  const hits = new Map<number, number>();
  let spanMs = (profile.endTime - profile.startTime) / 1000;
  if (profile.samples && profile.samples.length > 0) {
    const deltas = profile.timeDeltas;
    const windowed = window && deltas && deltas.length === profile.samples.length;
    let atUs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      if (windowed) {
        atUs += deltas[i];
        if (atUs / 1000 < window.fromMs || (window.toMs !== undefined && atUs / 1000 > window.toMs)) continue;
      }
      hits.set(profile.samples[i], (hits.get(profile.samples[i]) ?? 0) + 1);
    }
    if (windowed) spanMs = Math.max(0, Math.min(spanMs, window.toMs ?? spanMs) - window.fromMs);
  } else {
    for (const node of profile.nodes) hits.set(node.id, node.hitCount ?? 0);
  }
  const totalHits = [...hits.values()].reduce((a, b) => a + b, 0);
  if (totalHits === 0) return [];
  const msPerHit = spanMs / totalHits;
  const byFunction = new Map<string, number>();
  let busyHits = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0 || node.callFrame.functionName === IDLE) continue;
    busyHits += count;
    const name = frameName(node.callFrame);
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => ({
      function: name,
      selfMs: Math.round(count * msPerHit),
      share: Number((count / busyHits).toFixed(3)),
    }));
}
