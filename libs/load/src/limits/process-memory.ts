import fs from 'node:fs';

/** Resident memory of a process in MiB (Linux /proc), or undefined when it is gone. */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the peak resident memory of named processes every second until stopped. */
export class PeakMemorySampler {
  readonly peakMiB: Record<string, number> = {};
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: () => Array<{ name: string; pid?: number }>) {}

  start(): this {
    this.timer = setInterval(() => {
      for (const { name, pid } of this.pids()) {
        const mib = pid ? residentMiB(pid) : undefined;
        if (mib !== undefined) this.peakMiB[name] = Math.max(this.peakMiB[name] ?? 0, mib);
      }
    }, 1000);
    return this;
  }

  stop(): Record<string, number> {
    clearInterval(this.timer);
    return this.peakMiB;
  }
}
