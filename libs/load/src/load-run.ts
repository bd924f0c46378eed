import { SingleBar } from 'cli-progress';

import { OrderDriver } from './driver/order-driver';
import { runOpenModel } from './driver/open-model';
import { outcomeOf } from './observe/order-milestones';
import { PipelineObserver } from './observe/pipeline-observer';
import { type DelayFigures, measureDelay } from './report/delay-figures';
import { type LoadSummary, stillMoving, summarize } from './report/load-summary';

export interface LoadEndpoints {
  ordersUrl: string;
  sandboxUrl: string;
  deliveryUrl: string;
  operatorKey: string;
}

export interface LoadProgress {
  started: number;
  placed: number;
  paid: number;
  delivered: number;
  notified: number;
  elapsedMs: number;
}

/**
 * Something to do to the world part-way through the run (a supplier fails, callbacks start vanishing…),
 * applied once, in list order, as soon as `when` holds. Conditions on pipeline progress (e.g. a third of the
 * orders delivered) hit the stage they mean to hit however far the pipeline lags behind the arrivals.
 */
export interface ScheduledFault {
  when: (progress: LoadProgress) => boolean;
  label: string;
  apply: () => Promise<void>;
}

export interface LoadRunOptions {
  endpoints: LoadEndpoints;
  orders: number;
  rateAt: (elapsedSeconds: number) => number;
  faults?: ScheduledFault[];
  /** How long to wait, after the last order started, for every paid order to finish. */
  drainTimeoutMs?: number;
  /** A live progress line on stderr (a bar on a terminal, a line every few seconds otherwise). */
  progress?: boolean;
  /** Called between arrivals: chaos uses it to keep going until its own schedule is done. */
  shouldStop?: () => boolean;
  /** Wait for the pipeline, e.g. while a chaos run has the broker down, before declaring orders lost. */
  drainUntil?: () => Promise<void>;
  /** Late = paid → delivered over this (the stack's SLA tier 1; 300 s by default, as in orders). */
  lateAfterSeconds?: number;
}

export interface LoadRunResult {
  summary: LoadSummary;
  /** Seconds from the first arrival to the last order finished (or the drain timeout). */
  seconds: number;
  arrivalSeconds: number;
  throughputPerSecond: number;
  faultsApplied: string[];
  /** The delay rate, late count and average paid → delivered of this run's orders, from the events' times. */
  delay: DelayFigures;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Breaker states of delivery's suppliers as `primary closed, backup closed`. */
async function breakerLine(endpoints: LoadEndpoints): Promise<string> {
  try {
    const response = await fetch(`${endpoints.deliveryUrl}/v1/suppliers`, {
      headers: { authorization: `Bearer ${endpoints.operatorKey}` },
      signal: AbortSignal.timeout(1000),
    });
    const states = (await response.json()) as Array<{ supplier: string; state: string }>;
    return states.map((s) => `${s.supplier} ${s.state}`).join(', ');
  } catch {
    return 'breakers ?';
  }
}

/**
 * Drives `orders` real checkouts and payments at an open-model rate through the running stack, applies the
 * scheduled faults on the way, waits until every paid order has reached its buyer or stopped visibly, and
 * reports what the topics say happened against what the buyers did.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const observer = await new PipelineObserver().start();
  const driver = new OrderDriver({
    ordersUrl: options.endpoints.ordersUrl,
    sandboxUrl: options.endpoints.sandboxUrl,
  });
  const faults = [...(options.faults ?? [])];
  const applied: string[] = [];
  let breakers = '';
  const counts = () => {
    let placed = 0;
    let paid = 0;
    let delivered = 0;
    let notified = 0;
    for (const order of driver.orders) {
      if (!order.orderId) continue;
      placed += 1;
      const milestones = observer.of(order.orderId);
      if (milestones?.paymentConfirmed !== undefined) paid += 1;
      if (milestones?.delivered !== undefined) delivered += 1;
      if (outcomeOf(milestones) === 'completed') notified += 1;
    }
    return { placed, paid, delivered, notified };
  };
  // A bar on a terminal; in a log (CI, a pipe) one plain line every five seconds instead.
  const bar =
    options.progress && process.stderr.isTTY
      ? new SingleBar({
          format:
            'orders {bar} {value}/{total} notified | placed {placed} paid {paid} delivered {delivered} | {breakers} | {phase}',
          hideCursor: true,
          barsize: 20,
          stream: process.stderr,
        })
      : undefined;
  bar?.start(options.orders, 0, { placed: 0, paid: 0, delivered: 0, breakers: '', phase: 'starting' });
  let phase = 'ordering';
  let ticks = 0;
  let started = 0;
  let applying = false;
  const began = Date.now();
  const applyDueFaults = async () => {
    if (applying) return;
    applying = true;
    try {
      while (faults.length > 0 && faults[0].when({ ...counts(), started, elapsedMs: Date.now() - began })) {
        const fault = faults.shift()!;
        applied.push(fault.label);
        phase = fault.label;
        await fault.apply();
      }
    } finally {
      applying = false;
    }
  };
  const ticker = setInterval(() => {
    // Breaker states every 5 s, not every tick: each reading is a request (and a database read) to
    // delivery, which the run would otherwise count as the pipeline's own work (commits per order).
    const everyFiveSeconds = ticks++ % 10 === 0;
    if (everyFiveSeconds) void breakerLine(options.endpoints).then((line) => (breakers = line));
    void applyDueFaults().catch((error) => process.stderr.write(`fault not applied: ${error}\n`));
    const c = counts();
    bar?.update(c.notified, { ...c, breakers, phase });
    if (options.progress && !bar && everyFiveSeconds) {
      process.stderr.write(
        `${c.notified}/${options.orders} notified | placed ${c.placed} paid ${c.paid} delivered ${c.delivered} | ${breakers} | ${phase}\n`,
      );
    }
  }, 500);

  try {
    await applyDueFaults();
    const arrivals = await runOpenModel({
      count: options.orders,
      rateAt: options.rateAt,
      shouldStop: options.shouldStop,
      start: async () => {
        started += 1;
        return driver.buy();
      },
    });
    if (phase === 'ordering') phase = 'draining';
    await options.drainUntil?.();
    const deadline = Date.now() + (options.drainTimeoutMs ?? 120_000);
    while (stillMoving(driver.orders, (id) => observer.of(id)) > 0 && Date.now() < deadline) await sleep(250);
    // A fault whose moment never came (e.g. the pipeline finished first) must not stay switched on.
    for (const fault of faults.splice(0)) {
      applied.push(`${fault.label} (at the end)`);
      await fault.apply();
    }
    const seconds = (Date.now() - began) / 1000;
    const summary = summarize(driver.orders, (id) => observer.of(id));
    return {
      summary,
      seconds,
      arrivalSeconds: arrivals.seconds,
      throughputPerSecond: summary.completed / seconds,
      faultsApplied: applied,
      delay: measureDelay(
        driver.orders.map((order) => (order.orderId ? observer.of(order.orderId) : undefined)),
        options.lateAfterSeconds ?? 300,
        Date.now(),
      ),
    };
  } finally {
    clearInterval(ticker);
    if (bar) {
      const c = counts();
      bar.update(c.notified, { ...c, breakers, phase: 'done' });
      bar.stop();
    }
    await observer.stop();
  }
}
