import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

import {
  defineStack,
  type ProcessName,
  type ProcessSpec,
  REPO_ROOT,
  SANDBOX_NAMES,
  SERVICE_NAMES,
  type StackOptions,
} from './stack-definition';

export interface StackProcessInfo {
  name: ProcessName;
  port: number;
  pid?: number;
  url: string;
  /** When the running process was spawned (ms since epoch), e.g. to place a benchmark inside its profile. */
  startedAt?: number;
}

export interface StackHooks {
  /** A process ended that nobody asked to stop (the default: print it). */
  onUnexpectedExit?: (name: ProcessName, code: number | null, signal: NodeJS.Signals | null) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Supervises the pipeline as separate OS processes (the built services, the sandboxes, the mail catcher):
 * starts them in order and waits for /health/ready, stops them gracefully in reverse order, and, for chaos
 * runs, kills one by its pid (SIGKILL, no goodbye) and starts it again. Each process logs to its own file.
 */
export class Stack {
  private readonly specs: Map<ProcessName, ProcessSpec>;
  private readonly children = new Map<ProcessName, ChildProcess>();
  private readonly expectedExits = new Set<ProcessName>();
  private readonly startedAt = new Map<ProcessName, number>();
  private stopping = false;

  constructor(
    readonly options: StackOptions & { logDir: string },
    private readonly hooks: StackHooks = {},
  ) {
    this.specs = new Map(defineStack(options).map((spec) => [spec.name, spec]));
    fs.mkdirSync(options.logDir, { recursive: true });
    // Should the supervisor itself die (Ctrl-C in a script, an uncaught error), take the stack with it
    // rather than leave orphans holding the ports.
    process.once('exit', () => {
      for (const child of this.children.values()) child.kill('SIGKILL');
    });
  }

  url(name: ProcessName): string {
    return `http://127.0.0.1:${this.spec(name).port}`;
  }

  processes(): StackProcessInfo[] {
    return [...this.specs.values()].map((spec) => ({
      name: spec.name,
      port: spec.port,
      pid: this.children.get(spec.name)?.pid,
      url: this.url(spec.name),
      startedAt: this.startedAt.get(spec.name),
    }));
  }

  /** Sandboxes first (the services read the provider's keys at start), then the six services at once. */
  async start(timeoutMs = 120_000): Promise<void> {
    for (const name of SANDBOX_NAMES) this.launch(name);
    await this.waitReady(SANDBOX_NAMES, timeoutMs);
    for (const name of SERVICE_NAMES) this.launch(name);
    await this.waitReady(SERVICE_NAMES, timeoutMs);
    if (this.specs.has('console')) {
      this.launch('console');
      await this.waitReady(['console'], timeoutMs);
    }
  }

  /** SIGKILL by pid: the process gets no chance to flush, commit or say goodbye. */
  kill(name: ProcessName): number | undefined {
    const child = this.children.get(name);
    if (!child?.pid) return undefined;
    this.expectedExits.add(name);
    child.kill('SIGKILL');
    return child.pid;
  }

  /**
   * Starts a process that was killed or stopped and waits until it is ready again; `extraEnv` applies to
   * this start only (e.g. an armed crash point).
   */
  async restart(
    name: ProcessName,
    extraEnv: Record<string, string> = {},
    timeoutMs = 120_000,
  ): Promise<void> {
    const child = this.children.get(name);
    if (child && child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    this.launch(name, extraEnv);
    await this.waitReady([name], timeoutMs);
  }

  /** True while the process runs (a chaos run checks before killing). */
  running(name: ProcessName): boolean {
    const child = this.children.get(name);
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  async ready(name: ProcessName): Promise<Record<string, unknown> | undefined> {
    try {
      const response = await fetch(`${this.url(name)}/health/ready`, { signal: AbortSignal.timeout(2000) });
      return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  async waitReady(names: readonly ProcessName[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pending = new Set(names);
    while (pending.size > 0) {
      for (const name of [...pending]) {
        const child = this.children.get(name);
        if (!child || child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited while starting; see ${this.logFile(name)}:\n${this.tail(name)}`);
        }
        if (await this.ready(name)) pending.delete(name);
      }
      if (pending.size === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `not ready after ${timeoutMs / 1000} s: ${[...pending].join(', ')} (logs in ${this.options.logDir})`,
        );
      }
      await sleep(250);
    }
  }

  /** SIGTERM in reverse start order (services drain and flush), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.terminate('console'); // the front first: nothing new reaches the services while they drain
    const order = [...SERVICE_NAMES].reverse().concat([...SANDBOX_NAMES].reverse());
    await Promise.all(
      order.filter((name) => SERVICE_NAMES.includes(name)).map((name) => this.terminate(name)),
    );
    await Promise.all(
      order.filter((name) => SANDBOX_NAMES.includes(name)).map((name) => this.terminate(name)),
    );
  }

  logFile(name: ProcessName): string {
    return path.join(this.options.logDir, `${name}.log`);
  }

  tail(name: ProcessName, bytes = 3000): string {
    try {
      const text = fs.readFileSync(this.logFile(name), 'utf8');
      return text.slice(-bytes);
    } catch {
      return '';
    }
  }

  private spec(name: ProcessName): ProcessSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`no process named ${name}`);
    return spec;
  }

  private launch(name: ProcessName, extraEnv: Record<string, string> = {}): void {
    const spec = this.spec(name);
    const log = fs.openSync(this.logFile(name), 'a');
    const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.entry], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...spec.env,
        ...extraEnv,
        PORT: String(spec.port),
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.expectedExits.delete(name);
    child.on('exit', (code, signal) => {
      if (this.children.get(name) === child) this.children.delete(name);
      if (this.stopping || this.expectedExits.has(name)) return;
      (this.hooks.onUnexpectedExit ?? defaultUnexpectedExit)(name, code, signal);
    });
    this.children.set(name, child);
    this.startedAt.set(name, Date.now());
  }

  private async terminate(name: ProcessName): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.expectedExits.add(name);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

function defaultUnexpectedExit(name: ProcessName, code: number | null, signal: NodeJS.Signals | null) {
  process.stderr.write(`${name} exited unexpectedly (${signal ?? code})\n`);
}
