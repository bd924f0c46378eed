import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { chaosBroken, type ChaosReport, REPO_ROOT } from '../src';

const run = promisify(execFile);

/**
 * The chaos run, small: 150 orders while services are killed and restarted, the broker restarts, Postgres
 * crashes and the crash points fire; the same invariants as `npm run chaos`. It runs the very command-line
 * tool `npm run chaos` runs (built by tsc -b), as its own process, against the suite's broker.
 */
describe('chaos: nothing lost, nothing twice, no key in clear', () => {
  const output = path.join(REPO_ROOT, '.local', 'test-results', 'chaos-report.json');
  let report: ChaosReport;
  let exitCode = 0;
  let stderr = '';

  beforeAll(async () => {
    fs.rmSync(output, { force: true });
    try {
      const result = await run(
        process.execPath,
        [
          path.join(REPO_ROOT, 'libs/load/dist/cli/chaos.cli.js'),
          ...['--orders', '150', '--rate', '8', '--kill-every', '4', '--base-port', '7000', '--json', output],
        ],
        {
          // Below Linux's ephemeral range (32768–60999): 55434 was once taken as the local port of some
          // outgoing connection on a busy box, and the private Postgres could not bind it.
          env: { ...process.env, CHAOS_POSTGRES_PORT: '7432' },
          timeout: 840_000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      stderr = result.stderr;
    } catch (error) {
      const failed = error as { code?: number; stderr?: string };
      exitCode = failed.code ?? 1;
      stderr = failed.stderr ?? String(error);
    }
    if (!fs.existsSync(output)) throw new Error(`the chaos run wrote no report:\n${stderr.slice(-3000)}`);
    report = JSON.parse(fs.readFileSync(output, 'utf8')) as ChaosReport;
  }, 900_000);

  it('really made chaos: kills, a broker restart, a Postgres crash, crash points', () => {
    const did = (action: string, target: string) =>
      report.actions.some((a) => a.action.startsWith(action) && a.target === target);
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(did('restarted', 'kafka broker')).toBe(true);
    expect(did('restarted', 'postgres')).toBe(true);
    expect(report.actions.filter((a) => a.action.startsWith('arm crash point'))).toHaveLength(3);
  });

  it('kept every promise: every paid order reached its buyer once, no key sold twice or seen in clear', () => {
    const headline = { ...report, actions: undefined, details: undefined };
    expect(chaosBroken(report) ? headline : 'all invariants hold').toBe('all invariants hold');
    expect(exitCode).toBe(0);
    expect(report.completed).toBeGreaterThan(100);
    // The canary search is real: it finds the keys where they belong, in the goods emails.
    expect(report.canaries_found_in_goods_emails).toBeGreaterThan(0);
    expect(report.details.searched['database dump']).toBeGreaterThan(0);
    expect(report.details.searched['kafka topics']).toBeGreaterThan(0);
    expect(report.details.searched['exported spans (OTLP)']).toBeGreaterThan(0);
  });
});
