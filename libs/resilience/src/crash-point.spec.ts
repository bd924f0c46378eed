import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { parseCrashPoints } from './crash-point';

describe('crash points', () => {
  it('reads a comma-separated list, ignoring blanks', () => {
    expect([...parseCrashPoints(' relay.before-publish, ,delivery.after-purchase ')]).toEqual([
      'relay.before-publish',
      'delivery.after-purchase',
    ]);
    expect(parseCrashPoints(undefined).size).toBe(0);
  });

  const run = (crashAt: string | undefined) =>
    spawnSync(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        "require('./crash-point').crashPoint('delivery.after-purchase'); console.log('alive')",
      ],
      {
        cwd: path.join(__dirname),
        env: { ...process.env, KEYFLOW_CRASH_AT: crashAt ?? '' },
        encoding: 'utf8',
      },
    );

  it('kills the process with SIGKILL at an armed point and is a no-op otherwise', () => {
    const armed = run('delivery.after-purchase');
    expect(armed.signal).toBe('SIGKILL');
    expect(armed.stdout).not.toContain('alive');
    expect(armed.stderr).toContain('killing process');
    const unarmed = run('relay.before-publish');
    expect(unarmed.status).toBe(0);
    expect(unarmed.stdout).toContain('alive');
  });
});
