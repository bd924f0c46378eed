import type { DrivenOrder } from '../driver/order-driver';
import {
  type OrderMilestones,
  outcomeOf,
  paidNotCompleted,
  paidToNotifiedMs,
  type Stage,
  stageDurations,
  STAGES,
} from '../observe/order-milestones';
import { type Percentiles, percentiles } from './percentiles';
import { type ArrivalWindow, arrivalWindows, sustainedRate } from './sustained-rate';

export interface LoadSummary {
  orders: number;
  /** Checkouts the shop accepted. */
  placed: number;
  /** Orders whose payment the pipeline confirmed (by callback or active query). */
  paid: number;
  /** Paid orders whose buyer was sent the goods. */
  completed: number;
  /** Paid orders that stopped visibly (escalated, rejected, out of stock…), by the event that stopped them. */
  stopped: Record<string, number>;
  /** Paid orders with neither goods sent nor a visible stop when the run ended: the promise broken. */
  lost: number;
  lost_order_ids: string[];
  /** Orders delivered more than once (distinct delivery.succeeded.v1 events). */
  duplicated: number;
  /** Orders whose buyer got the goods email more than once. */
  duplicate_goods_emails: number;
  buyer_errors: number;
  buyer_error_samples: string[];
  /** Buyers checkout shed (503 + Retry-After) who came back as often as they would and then gave up. */
  shed: number;
  /** Checkouts refused with Retry-After and honoured, including those that got in on a later try. */
  shed_responses: number;
  /**
   * Paid orders (confirmed by the pipeline, or paid by the buyer at the cashier) that neither reached the
   * buyer nor ended visibly (completed, escalated, refund requested, cancelled). Must be 0.
   */
  paid_not_completed: number;
  /** The highest arrival rate at which completions kept up (see sustainedRate). */
  sustained_per_s: number;
  /** The 5-s arrival windows behind sustained_per_s: arrivals/s and how many of them kept up. */
  sustained_windows: ArrivalWindow[];
  supplier_switches: number;
  callbacks_recovered_by_active_query: number;
  /** The most orders completed in any 5-second window, per second: the sustained rate the pipeline reached. */
  peak_completed_per_s_5s: number;
  /** Payment accepted → buyer notified. */
  e2e_ms?: Percentiles;
  /** Checkout → buyer notified, as the buyer waits. */
  checkout_to_notified_ms?: Percentiles;
  stages_ms: Partial<Record<Stage, Percentiles>>;
}

/** The report of a load run: what the buyers did against what the topics say happened. */
export function summarize(
  driven: readonly DrivenOrder[],
  observed: (orderId: string) => OrderMilestones | undefined,
): LoadSummary {
  const stageSamples = Object.fromEntries(STAGES.map((stage) => [stage, [] as number[]])) as Record<
    Stage,
    number[]
  >;
  const e2e: number[] = [];
  const notifiedTimes: number[] = [];
  const checkoutToNotified: number[] = [];
  const stopped: Record<string, number> = {};
  const lost: string[] = [];
  let paid = 0;
  let completed = 0;
  let duplicated = 0;
  let duplicateEmails = 0;
  let switches = 0;
  let recovered = 0;
  const errors = driven.filter((order) => order.error);
  let paidNotDone = 0;
  for (const order of driven) {
    if (order.orderId && paidNotCompleted(observed(order.orderId), order.paidAt !== undefined))
      paidNotDone += 1;
  }
  for (const order of driven) {
    if (!order.orderId) continue;
    const milestones = observed(order.orderId);
    const outcome = outcomeOf(milestones);
    if (!milestones || milestones.paymentConfirmed === undefined) {
      if (milestones?.stopped) stopped[milestones.stopped] = (stopped[milestones.stopped] ?? 0) + 1;
      // A buyer who paid at the cashier but whose payment never reached the pipeline is lost too.
      else if (order.paidAt !== undefined) lost.push(order.orderId);
      continue;
    }
    paid += 1;
    if (milestones.confirmedBy === 'active-query') recovered += 1;
    if (milestones.deliveries.size > 1) duplicated += 1;
    if (milestones.goodsNotifications.size > 1) duplicateEmails += 1;
    if (milestones.supplierSwitches > 0) switches += 1;
    if (outcome === 'completed') {
      completed += 1;
      for (const [stage, ms] of Object.entries(stageDurations(milestones)))
        stageSamples[stage as Stage].push(ms);
      const ms = paidToNotifiedMs(milestones);
      if (ms !== undefined) e2e.push(ms);
      if (milestones.notified !== undefined) {
        checkoutToNotified.push(milestones.notified - order.checkoutAt);
        notifiedTimes.push(milestones.notified);
      }
    } else if (outcome === 'stopped') {
      stopped[milestones.stopped!] = (stopped[milestones.stopped!] ?? 0) + 1;
    } else {
      lost.push(order.orderId);
    }
  }
  const arrivals = driven.map((order) => ({
    arrivedAt: order.checkoutAt,
    completedAt: order.orderId ? observed(order.orderId)?.notified : undefined,
  }));
  const stages: Partial<Record<Stage, Percentiles>> = {};
  for (const stage of STAGES) {
    const p = percentiles(stageSamples[stage]);
    if (p) stages[stage] = p;
  }
  return {
    orders: driven.length,
    placed: driven.filter((order) => order.orderId).length,
    paid,
    completed,
    stopped,
    lost: lost.length,
    lost_order_ids: lost.slice(0, 20),
    duplicated,
    duplicate_goods_emails: duplicateEmails,
    buyer_errors: errors.length,
    buyer_error_samples: [...new Set(errors.map((order) => order.error!))].slice(0, 5),
    shed: driven.filter((order) => order.gaveUpShed).length,
    shed_responses: driven.reduce(
      (sum, order) => sum + (order.shedRetries ?? 0) + (order.gaveUpShed ? 1 : 0),
      0,
    ),
    paid_not_completed: paidNotDone,
    sustained_per_s: sustainedRate(arrivals),
    sustained_windows: arrivalWindows(arrivals),
    supplier_switches: switches,
    callbacks_recovered_by_active_query: recovered,
    peak_completed_per_s_5s: peakRate(notifiedTimes, 5000),
    e2e_ms: percentiles(e2e),
    checkout_to_notified_ms: percentiles(checkoutToNotified),
    stages_ms: stages,
  };
}

/** True while some paid order has neither reached its buyer nor stopped visibly. */
export function stillMoving(
  driven: readonly DrivenOrder[],
  observed: (orderId: string) => OrderMilestones | undefined,
): number {
  return driven.filter((order) => {
    if (!order.orderId) return false;
    const outcome = outcomeOf(observed(order.orderId));
    return outcome === 'in-flight' || (outcome === 'unpaid' && order.paidAt !== undefined);
  }).length;
}

/** The largest number of events in any window of `windowMs`, per second. */
export function peakRate(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return Number((best / (windowMs / 1000)).toFixed(1));
}
