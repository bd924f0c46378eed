/* eslint-disable no-console -- a command-line tool: the console is its output */
/**
 * `npm run chaos -- [--orders 2000] [--rate 40] [--json FILE]` (scripts/chaos.sh starts the broker first and
 * passes its settings). Exits non-zero when any invariant breaks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { chaosBroken, runChaos } from '../chaos/chaos-run';
import { KafkaBroker } from '../chaos/kafka-broker';
import { PrivatePostgres } from '../chaos/private-postgres';
import { REPO_ROOT } from '../stack/stack-definition';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '40' },
    json: { type: 'string' },
    'kill-every': { type: 'string' },
    'base-port': { type: 'string', default: '6000' },
  },
});

async function main() {
  const postgres = new PrivatePostgres(
    path.join(REPO_ROOT, '.local', 'chaos', 'pgdata'),
    Number(process.env.CHAOS_POSTGRES_PORT ?? 55433),
  );
  fs.rmSync(path.join(REPO_ROOT, '.local', 'chaos'), { recursive: true, force: true });
  await postgres.start();
  try {
    const report = await runChaos({
      orders: Number(args.orders),
      rate: Number(args.rate),
      basePort: Number(args['base-port']),
      kafkaBrokers: process.env.KAFKA_BROKERS!,
      broker: new KafkaBroker({
        KAFKA_PORT: process.env.KAFKA_PORT!,
        KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT!,
        KAFKA_STATE_DIR: process.env.KAFKA_STATE_DIR!,
      }),
      postgres,
      killEverySeconds: args['kill-every'] ? Number(args['kill-every']) : undefined,
      progress: true,
    });
    const { details, actions, ...headline } = report;
    console.log(JSON.stringify(headline, null, 2));
    if (args.json) {
      fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
      fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
    }
    console.error(`\n${actions.length} chaos actions; ${details.summary.completed} orders completed.`);
    if (chaosBroken(report)) {
      console.error('INVARIANT BROKEN: see the report above');
      if (details.non_terminal_samples.length)
        console.error(`non-terminal: ${details.non_terminal_samples.join(', ')}`);
      if (details.canary_hit_samples.length)
        console.error(`canaries: ${JSON.stringify(details.canary_hit_samples)}`);
      process.exitCode = 1;
    } else {
      console.error('All invariants hold: nothing lost, nothing twice, no key in clear.');
    }
  } finally {
    await postgres.stop();
  }
}

// Ctrl-C: exit, and the 'exit' hooks take the services and the private Postgres down with the run.
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

// A command-line run ends when its report is out: exit explicitly, since a client's reconnect timers (kafkajs
// after the broker restart) can otherwise keep the process alive after everything was stopped.
main()
  .then(() => process.exit(process.exitCode ?? 0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
