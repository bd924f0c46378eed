#!/usr/bin/env node
// What an idle pipeline costs: starts the whole stack (built services, sandboxes) on its own ports, lets it
// settle, then samples each service's CPU time (utime + stime from /proc/<pid>/stat) over a window and
// prints it as a share of one core. Nothing is sent to the stack: this is the price of waiting.
//
//   npm run idle-cpu   (scripts/idle-cpu.sh: its own broker and database), or by hand:
//   IDLE_DATABASE_URL=postgres://…/keyflow_idle IDLE_KAFKA_BROKERS=127.0.0.1:19132 node scripts/idle-cpu.js
// Settings: IDLE_BASE_PORT (23200), IDLE_SETTLE_SECONDS (20), IDLE_WINDOW_SECONDS (120); run `tsc -b` first.
// IDLE_THREADS=1 adds each process's CPU seconds per thread (since its start); IDLE_PROFILE=1 runs every service
// with `node --cpu-prof` and prints its top self-time functions inside the window (the profiler costs a little).
// IDLE_MAX_PERCENT=1 makes it exit 1 when a service used more than that share of a core (a check, e.g. in CI).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const { startIsolatedStack } = require('../libs/load/dist/harness/isolated-stack');
const { SERVICE_NAMES, REPO_ROOT } = require('../libs/load/dist/stack/stack-definition');
const { clearCpuProfiles, hotFunctionsIn } = require('../libs/load/dist/report/read-cpu-profiles');

const databaseUrl = process.env.IDLE_DATABASE_URL;
const kafkaBrokers = process.env.IDLE_KAFKA_BROKERS;
const basePort = Number(process.env.IDLE_BASE_PORT ?? 23200);
const settleSeconds = Number(process.env.IDLE_SETTLE_SECONDS ?? 20);
const windowSeconds = Number(process.env.IDLE_WINDOW_SECONDS ?? 120);
const profile = Boolean(process.env.IDLE_PROFILE);
const maxPercent = process.env.IDLE_MAX_PERCENT ? Number(process.env.IDLE_MAX_PERCENT) : undefined;
let overBudget = [];
const PROFILES_DIR = path.join(REPO_ROOT, '.local', 'idle-cpu', 'profiles');
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
  const nodeArgs = {};
  if (profile) {
    for (const service of SERVICE_NAMES) {
      const dir = path.join(PROFILES_DIR, service);
      clearCpuProfiles(dir);
      nodeArgs[service] = ['--cpu-prof', '--cpu-prof-dir', dir];
    }
  }
  const { stack } = await startIsolatedStack({
    name: 'idle-cpu',
    basePort,
    databaseUrl,
    kafkaBrokers,
    nodeArgs,
  });
  const spawnedAt = Object.fromEntries(stack.processes().map((p) => [p.name, p.startedAt]));
  let window;
  try {
    await sleep(settleSeconds * 1000);
    const pids = stack
      .processes()
      .filter((p) => SERVICE_NAMES.includes(p.name) && p.pid)
      .map((p) => ({ name: p.name, pid: p.pid }));
    const before = pids.map((p) => cpuSeconds(p.pid));
    const started = process.hrtime.bigint();
    const from = Date.now();
    await sleep(windowSeconds * 1000);
    window = { from, to: Date.now() };
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = pids.map((p, i) => ({
      service: p.name,
      pid: p.pid,
      'cpu s': +(cpuSeconds(p.pid) - before[i]).toFixed(2),
      '% of a core': +((100 * (cpuSeconds(p.pid) - before[i])) / elapsed).toFixed(2),
    }));
    console.table(rows);
    if (maxPercent !== undefined) overBudget = rows.filter((row) => row['% of a core'] > maxPercent);
    if (process.env.IDLE_THREADS) for (const p of pids) console.log(p.name, threadTimes(p.pid));
    console.log(`window ${elapsed.toFixed(1)} s after ${settleSeconds} s to settle`);
  } finally {
    await stack.stop();
  }
  if (profile && window) printProfiles(spawnedAt, window);
  if (overBudget.length > 0) {
    console.error(
      `over ${maxPercent} % of a core while idle: ${overBudget.map((row) => row.service).join(', ')}`,
    );
    process.exitCode = 1;
  }
}

/** Each service's top self-time functions inside the measured window, from the profile it wrote at exit. */
function printProfiles(spawnedAt, { from, to }) {
  for (const service of SERVICE_NAMES) {
    const spawned = spawnedAt[service];
    const hot = hotFunctionsIn(
      path.join(PROFILES_DIR, service),
      15,
      spawned ? { fromMs: from - spawned, toMs: to - spawned } : undefined,
    );
    if (!hot) {
      console.log(`${service}: no CPU profile written`);
      continue;
    }
    console.log(`\n${service} — top self time in the window (${path.relative(REPO_ROOT, hot.file)}):`);
    for (const f of hot.functions)
      console.log(
        `  ${String(f.selfMs).padStart(7)} ms  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.function}`,
      );
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
