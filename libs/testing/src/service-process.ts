import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';

import { orderTokenSecretDefault } from './order-token-secret';

const ROOT = path.resolve(__dirname, '../../..');
/** 60 s by default; TEST_SERVICE_READY_TIMEOUT_MS on a box loaded past its cores (a service alone took 34 s at load 34). */
const READY_TIMEOUT_MS = Number(process.env.TEST_SERVICE_READY_TIMEOUT_MS) || 60000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ServiceProcessOptions {
  /** TypeScript entry point, relative to the repository root (e.g. apps/orders/src/main.ts). */
  entry: string;
  port: number;
  env?: Record<string, string>;
  /** Path answering 2xx when the service is ready. */
  readyPath?: string;
}

/**
 * Runs a service as a real separate process from its TypeScript sources (through @swc-node/register), so
 * tests exercise it exactly as deployed and can kill it. Output is kept for failure messages.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  output = '';

  constructor(private readonly options: ServiceProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  async start(): Promise<this> {
    const { entry, port, env, readyPath = '/health/ready' } = this.options;
    this.output = '';
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, entry)], {
      cwd: ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json'),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        // A killed test service's partitions move to its successor after 6 s (the broker's minimum), not 30.
        KAFKA_CONSUMER_SESSION_TIMEOUT_MS: '6000',
        PORT: String(port),
        ...orderTokenSecretDefault(process.env, env),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.output += chunk));
    this.child.stderr?.on('data', (chunk) => (this.output += chunk));
    // A process that exits before it is ready (e.g. refusing its configuration) fails the start at once,
    // with its output, instead of being polled for the whole readiness timeout.
    const child = this.child;
    const closed = once(child, 'close').catch(() => undefined);
    const fail = (reason: string) =>
      new Error(`${entry} ${reason}\n--- output ---\n${this.output.slice(-4000)}`);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode) {
        await Promise.race([closed, sleep(1000)]); // its last output
        throw fail(`exited before it was ready (${child.signalCode ?? `code ${child.exitCode}`})`);
      }
      const response = await fetch(`${this.url}${readyPath}`).catch(() => undefined);
      if (response?.ok) return this;
      if (Date.now() > deadline) throw fail(`not ready on port ${port} within ${READY_TIMEOUT_MS} ms`);
      await sleep(250);
    }
  }

  /** Resolves with the signal when the process ends by itself (e.g. an armed crash point). */
  async exited(timeoutMs = 30000): Promise<NodeJS.Signals | null> {
    const child = this.child!;
    if (child.exitCode !== null || child.signalCode) return child.signalCode;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    return signal;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    child.kill('SIGTERM');
    await this.exited(15000);
  }
}

/**
 * A free-ish port for a test service: random in a range the pipeline's own services do not use, and below
 * Linux's ephemeral range (32768–60999). Picked inside it, the port was often the local end of one of the
 * thousands of outgoing connections a busy box holds (a bench, other suites), and the service died of
 * EADDRINUSE. (Above 26000: RabbitMQ and the like listen at 25672.)
 */
export function testPort(): number {
  return 26000 + Math.floor(Math.random() * 6700);
}

/**
 * Ports the kernel says are free right now (bound to port 0, then released): unlike {@link testPort}'s
 * random pick, never one a busy machine's other tests or outgoing connections already hold.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, resolve);
      });
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * Starts services two at a time. Each TypeScript service compiles its sources and migrates at start
 * (seconds of CPU each), so six or ten starting at once on a small, shared machine share its cores and
 * each can miss its readiness deadline although none is stuck; two at a time keep every start short.
 */
export async function startTwoAtATime(services: ServiceProcess[]): Promise<void> {
  const queue = [...services];
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await next.start();
    }),
  );
}
