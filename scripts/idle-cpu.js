#!/usr/bin/env node
// What an idle pipeline costs: starts the whole stack (built services, sandboxes) on its own ports, lets it
// settle, then samples each service's CPU time (utime + stime from /proc/<pid>/stat) over a window and
// prints it as a share of one core. Nothing is sent to the stack: this is the price of waiting.
//
//   IDLE_DATABASE_URL=postgres://…/keyflow_idle IDLE_KAFKA_BROKERS=127.0.0.1:19132 node scripts/idle-cpu.js
// Settings: IDLE_BASE_PORT (23200), IDLE_SETTLE_SECONDS (20), IDLE_WINDOW_SECONDS (60); run `tsc -b` first.
'use strict';
const fs = require('node:fs');

const { startIsolatedStack } = require('../libs/load/dist/harness/isolated-stack');
const { SERVICE_NAMES } = require('../libs/load/dist/stack/stack-definition');

const databaseUrl = process.env.IDLE_DATABASE_URL;
const kafkaBrokers = process.env.IDLE_KAFKA_BROKERS;
const basePort = Number(process.env.IDLE_BASE_PORT ?? 23200);
const settleSeconds = Number(process.env.IDLE_SETTLE_SECONDS ?? 20);
const windowSeconds = Number(process.env.IDLE_WINDOW_SECONDS ?? 60);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds the process has used so far (user + system), from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // fields 14 and 15 of stat(5)
}

/** CPU seconds per thread name (for finding where an idle process spends it). */
function threadTimes(pid) {
  const out = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[name] = +((out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND).toFixed(2);
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  if (!databaseUrl || !kafkaBrokers) throw new Error('IDLE_DATABASE_URL and IDLE_KAFKA_BROKERS are required');
  const { stack } = await startIsolatedStack({ name: 'idle-cpu', basePort, databaseUrl, kafkaBrokers });
  try {
    await sleep(settleSeconds * 1000);
    const pids = stack
      .processes()
      .filter((p) => SERVICE_NAMES.includes(p.name) && p.pid)
      .map((p) => ({ name: p.name, pid: p.pid }));
    const before = pids.map((p) => cpuSeconds(p.pid));
    const started = process.hrtime.bigint();
    await sleep(windowSeconds * 1000);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = pids.map((p, i) => ({
      service: p.name,
      pid: p.pid,
      'cpu s': +(cpuSeconds(p.pid) - before[i]).toFixed(2),
      '% of a core': +((100 * (cpuSeconds(p.pid) - before[i])) / elapsed).toFixed(2),
    }));
    console.table(rows);
    if (process.env.IDLE_THREADS) for (const p of pids) console.log(p.name, threadTimes(p.pid));
    console.log(`window ${elapsed.toFixed(1)} s after ${settleSeconds} s to settle`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
