import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * utime + stime of a process (user and system CPU, in clock ticks) from the text of /proc/<pid>/stat.
 * The command name (field 2) is in parentheses and may itself hold spaces or parentheses, so the fields
 * are counted from the last ')'.
 */
export function cpuTicksOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  return ticks;
}

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks per second (`getconf CLK_TCK`, 100 on Linux almost everywhere). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds a process has used so far, or undefined when it is gone (or /proc is not there). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    return cpuTicksOfStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicksPerSecond();
  } catch {
    return undefined;
  }
}

/** Named groups of processes to account CPU to (a group may be several pids, e.g. Postgres backends). */
export type CpuGroups = () =>
  Promise<Array<{ name: string; pids: number[] }>> | Array<{ name: string; pids: number[] }>;

/**
 * CPU seconds each named group of processes used between start() and stop(), from /proc/<pid>/stat deltas,
 * sampled every second so that processes which start during the run (a new Postgres backend) are counted
 * from their first sample; their CPU before that sample counts too, since it was spent during the run. A
 * process that ends between samples loses at most its last second.
 */
export class CpuSampler {
  private readonly baseline = new Map<number, number>();
  private readonly latest = new Map<number, { name: string; seconds: number }>();
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(private readonly groups: CpuGroups) {}

  async start(): Promise<this> {
    await this.sample();
    this.started = true;
    this.timer = setInterval(() => void this.sample().catch(() => undefined), 1000);
    return this;
  }

  /** CPU seconds per group over the run. */
  async stop(): Promise<Record<string, number>> {
    clearInterval(this.timer);
    await this.sample();
    const used: Record<string, number> = {};
    for (const [pid, { name, seconds }] of this.latest) {
      used[name] = (used[name] ?? 0) + Math.max(0, seconds - (this.baseline.get(pid) ?? 0));
    }
    return used;
  }

  private async sample(): Promise<void> {
    for (const { name, pids } of await this.groups()) {
      for (const pid of pids) {
        const seconds = cpuSecondsOf(pid);
        if (seconds === undefined) continue;
        if (!this.started && !this.baseline.has(pid)) this.baseline.set(pid, seconds);
        this.latest.set(pid, { name, seconds });
      }
    }
  }
}
