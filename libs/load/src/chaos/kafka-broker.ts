import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from '../stack/stack-definition';

const run = promisify(execFile);

/**
 * The broker the run started through scripts/kafka.sh (which keeps its pid in the state folder and only
 * ever stops that pid): stop and start it again, as a broker restart looks to the services.
 */
export class KafkaBroker {
  constructor(private readonly env: Record<string, string>) {}

  async restart(): Promise<void> {
    await this.script('stop');
    await this.script('start');
  }

  private async script(command: string): Promise<void> {
    await run('bash', [path.join(REPO_ROOT, 'scripts', 'kafka.sh'), command], {
      env: { ...process.env, ...this.env },
      timeout: 120_000,
    });
  }
}
