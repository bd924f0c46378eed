import path from 'node:path';

import { chaosBroken, type ChaosReport, KafkaBroker, PrivatePostgres, REPO_ROOT, runChaos } from '../src';

/**
 * The chaos run, small: a couple of hundred orders while services are killed and restarted, the broker
 * restarts, Postgres crashes and the crash points fire. The same invariants as `npm run chaos`.
 */
describe('chaos: nothing lost, nothing twice, no key in clear', () => {
  const postgres = new PrivatePostgres(path.join(REPO_ROOT, '.local', 'chaos-test', 'pgdata'), 55434);
  let report: ChaosReport;

  beforeAll(async () => {
    await postgres.start();
    report = await runChaos({
      orders: 150,
      rate: 8,
      basePort: 7000,
      kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      broker: new KafkaBroker({
        KAFKA_PORT: process.env.KAFKA_PORT ?? '9092',
        KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? '9093',
        ...(process.env.KAFKA_STATE_DIR ? { KAFKA_STATE_DIR: process.env.KAFKA_STATE_DIR } : {}),
      }),
      postgres,
      killEverySeconds: 4,
      log: () => undefined,
    });
  }, 900_000);

  afterAll(async () => {
    await postgres.stop();
  });

  it('really made chaos: kills, a broker restart, a Postgres crash, crash points', () => {
    const did = (action: string, target: string) =>
      report.actions.some((a) => a.action.startsWith(action) && a.target === target);
    expect(report.kills).toBeGreaterThanOrEqual(3);
    expect(did('restart', 'kafka broker')).toBe(true);
    expect(did('crash', 'postgres')).toBe(true);
    expect(report.actions.filter((a) => a.action.startsWith('arm crash point'))).toHaveLength(3);
  });

  it('kept every promise: every paid order reached its buyer once, no key sold twice or seen in clear', () => {
    const headline = { ...report, actions: undefined, details: undefined };
    expect(chaosBroken(report) ? headline : 'all invariants hold').toBe('all invariants hold');
    expect(report.completed).toBeGreaterThan(100);
    // The canary search is real: it finds the keys where they belong, in the goods emails.
    expect(report.canaries_found_in_goods_emails).toBeGreaterThan(0);
    expect(report.details.searched['database dump']).toBeGreaterThan(0);
    expect(report.details.searched['kafka topics']).toBeGreaterThan(0);
    expect(report.details.searched['exported spans (OTLP)']).toBeGreaterThan(0);
  });
});
