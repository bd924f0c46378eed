import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePorts } from '@keyflow/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

/**
 * The local trace UI exactly as `npm start` runs it (scripts/zipkin.sh: Zipkin's server, in-memory storage,
 * bounded), on a port and state directory of this test's own, so it never touches a running demo's Zipkin.
 */
export class ZipkinServer {
  private env?: NodeJS.ProcessEnv;
  url = '';

  async start(): Promise<this> {
    const [port] = await freePorts(1);
    this.env = {
      ...process.env,
      ZIPKIN_PORT: String(port),
      ZIPKIN_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'zipkin-e2e-')),
      ZIPKIN_HEAP: '256m',
      // It starts beside six services compiling and migrating: on a busy 2-core machine that takes a while.
      ZIPKIN_START_TIMEOUT: '170',
    };
    await run('bash', ['scripts/zipkin.sh', 'start'], { cwd: ROOT, env: this.env, timeout: 180_000 });
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Where the services' Zipkin exporter sends spans (OTEL_EXPORTER_ZIPKIN_ENDPOINT). */
  get spansEndpoint(): string {
    return `${this.url}/api/v2/spans`;
  }

  /** A trace as Zipkin's API answers it (what the UI shows): its spans, Zipkin v2 JSON. */
  async trace(
    traceId: string,
  ): Promise<Array<{ localEndpoint?: { serviceName?: string }; tags?: Record<string, string> }>> {
    const response = await fetch(`${this.url}/api/v2/trace/${traceId}`, {
      signal: AbortSignal.timeout(5000),
    });
    return response.ok ? ((await response.json()) as never) : [];
  }

  async stop(): Promise<void> {
    if (this.env)
      await run('bash', ['scripts/zipkin.sh', 'stop'], { cwd: ROOT, env: this.env }).catch(() => undefined);
  }
}
