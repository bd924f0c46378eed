import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The machine's PostgreSQL server binaries (Debian's layout), newest major first. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = majors
    .map((major) => path.join(root, major, 'bin'))
    .find((dir) => fs.existsSync(path.join(dir, 'postgres')));
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (install postgresql)');
  return bin;
}

/**
 * A PostgreSQL server of the chaos run's own (initdb into a fresh folder, its own port), so the run may crash
 * and restart it without touching the machine's server. Postgres refuses to run as root, so as root the
 * server runs as the `postgres` user; the pid we hold is the postmaster's own.
 */
export class PrivatePostgres {
  private child?: ChildProcess;
  private readonly bin = postgresBin();
  private readonly user = process.getuid?.() === 0 ? userIds('postgres') : undefined;

  constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/keyflow_chaos`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      fs.rmSync(this.dataDir, { recursive: true, force: true });
      // The parent stays traversable for the postgres user; only the data folder itself is private.
      fs.mkdirSync(path.dirname(this.dataDir), { recursive: true, mode: 0o755 });
      fs.mkdirSync(this.dataDir, { mode: 0o700 });
      if (this.user) fs.chownSync(this.dataDir, this.user.uid, this.user.gid);
      execFileSync(
        path.join(this.bin, 'initdb'),
        ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'],
        { stdio: ['ignore', 'ignore', 'pipe'], cwd: path.dirname(this.dataDir), ...(this.user ?? {}) },
      );
    }
    await this.launch();
    const admin = new Client({ connectionString: this.url.replace(/\/keyflow_chaos$/, '/postgres') });
    await admin.connect();
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'keyflow_chaos'");
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE keyflow_chaos');
    await admin.end();
  }

  /** SIGQUIT to the postmaster: immediate shutdown, no checkpoint; the next start runs crash recovery. */
  async crash(): Promise<number | undefined> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return undefined;
    const exited = once(child, 'exit');
    child.kill('SIGQUIT');
    await exited;
    return child.pid;
  }

  async restart(): Promise<void> {
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT'); // fast shutdown
    await exited;
  }

  private async launch(): Promise<void> {
    const log = fs.openSync(path.join(path.dirname(this.dataDir), 'postgres.log'), 'a');
    this.child = spawn(
      path.join(this.bin, 'postgres'),
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-k',
        '',
        '-c',
        'max_connections=300',
      ],
      { stdio: ['ignore', log, log], ...(this.user ?? {}) },
    );
    fs.closeSync(log);
    const child = this.child;
    process.once('exit', () => child.kill('SIGQUIT'));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const client = new Client({ connectionString: this.url.replace(/\/keyflow_chaos$/, '/postgres') });
      try {
        await client.connect();
        await client.end();
        return;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (this.child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`private postgres did not start: ${(error as Error).message}`);
        }
        await sleep(200);
      }
    }
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
  return { uid, gid };
}
