import type { OrderMilestones } from '../observe/order-milestones';

/** The shop owners' two numbers, as the load measured them from the events' own times. */
export interface DelayFigures {
  /** Orders the pipeline confirmed paid. */
  paid: number;
  /** Of those, delivered more than `late_after_s` after payment, or not delivered and past it by `at`. */
  late: number;
  late_after_s: number;
  /** late / paid (0 when none was paid). */
  delay_rate: number;
  /** Average paid → delivered over the delivered orders, seconds; null when none was delivered. */
  average_paid_to_delivered_s: number | null;
}

/**
 * Measured independently of orders' read model: from the paid and delivered times in the events themselves
 * (payment.confirmed.v1 paidAt, delivery.succeeded.v1 deliveredAt), the same clock the shop's numbers use.
 * An order that ended without delivery (stopped visibly) is late only if it waited past the threshold.
 */
export function measureDelay(
  orders: Iterable<OrderMilestones | undefined>,
  lateAfterSeconds: number,
  at: number,
): DelayFigures {
  let paid = 0;
  let late = 0;
  let delivered = 0;
  let totalMs = 0;
  for (const order of orders) {
    if (order?.paidAt === undefined) continue;
    paid += 1;
    const end = order.deliveredAt ?? (order.terminal === undefined ? at : undefined);
    if (end !== undefined && end - order.paidAt > lateAfterSeconds * 1000) late += 1;
    if (order.deliveredAt !== undefined) {
      delivered += 1;
      totalMs += order.deliveredAt - order.paidAt;
    }
  }
  return {
    paid,
    late,
    late_after_s: lateAfterSeconds,
    delay_rate: paid === 0 ? 0 : late / paid,
    average_paid_to_delivered_s: delivered === 0 ? null : totalMs / delivered / 1000,
  };
}

/** The console overview's figures (GET /v1/dashboard/overview through the console), as much as the report needs. */
export interface ConsoleOverview {
  window: { paid: number; late: number; delayRate: number; averageDeliverySeconds: number | null };
  alerts: Array<{ alertKey: string; summary: string | null }>;
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const seconds = (s: number | null) => (s === null ? '–' : `${s.toFixed(1)} s`);

/**
 * Whether the console says what the load measured: same late count, same rate, averages within 0.1 s (the
 * console rounds to a tenth). Only comparable when the console's window holds exactly the load's orders.
 */
export function delayAgreement(measured: DelayFigures, shown: ConsoleOverview): string[] {
  const problems: string[] = [];
  const w = shown.window;
  if (w.paid !== measured.paid) problems.push(`paid ${w.paid} in the console, ${measured.paid} measured`);
  if (w.late !== measured.late) problems.push(`late ${w.late} in the console, ${measured.late} measured`);
  if (Math.abs(w.delayRate - measured.delay_rate) > 1e-9)
    problems.push(
      `delay rate ${percent(w.delayRate)} in the console, ${percent(measured.delay_rate)} measured`,
    );
  const a = w.averageDeliverySeconds;
  const b = measured.average_paid_to_delivered_s;
  if ((a === null) !== (b === null) || (a !== null && b !== null && Math.abs(a - b) > 0.051))
    problems.push(`average ${seconds(a)} in the console, ${seconds(b)} measured`);
  return problems;
}

/** The report's lines: the console's own numbers beside the load's, and whether they agree. */
export function formatDelayComparison(measured: DelayFigures, shown: ConsoleOverview | string): string {
  const lines = [
    `Delay (late = paid → delivered over ${measured.late_after_s} s):`,
    `  measured by the load   delay rate ${percent(measured.delay_rate)}   late ${measured.late} of ${measured.paid} paid   ` +
      `average paid → delivered ${seconds(measured.average_paid_to_delivered_s)}`,
  ];
  if (typeof shown === 'string') {
    lines.push(`  console                could not be read: ${shown}`);
    return lines.join('\n');
  }
  const w = shown.window;
  lines.push(
    `  shown by the console   delay rate ${percent(w.delayRate)}   late ${w.late} of ${w.paid} paid   ` +
      `average paid → delivered ${seconds(w.averageDeliverySeconds)}   open alerts ${shown.alerts.length}` +
      (shown.alerts.length ? ` (${shown.alerts.map((a) => a.alertKey).join(', ')})` : ''),
  );
  const problems = delayAgreement(measured, shown);
  lines.push(
    problems.length === 0
      ? '  they agree'
      : `  they differ: ${problems.join('; ')}` +
          (shown.window.paid > measured.paid
            ? ' (the console window also holds orders paid before this run)'
            : ''),
  );
  return lines.join('\n');
}

/**
 * The console's overview as an operator's browser gets it: through the console, with the operator's key. Under
 * load orders' read model trails the topics by a few seconds (the load saw the last notification before orders
 * recorded it), so it is read again until it holds the `paid` orders the load saw, for up to `timeoutMs`.
 */
export async function readConsoleOverview(
  consoleUrl: string,
  operatorKey: string,
  wait: { paid?: number; timeoutMs?: number } = {},
): Promise<ConsoleOverview | string> {
  const deadline = Date.now() + (wait.timeoutMs ?? 60_000);
  for (;;) {
    const shown = await readOnce(consoleUrl, operatorKey);
    const caughtUp = typeof shown !== 'string' && shown.window.paid >= (wait.paid ?? 0);
    if (caughtUp || Date.now() >= deadline) return shown;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function readOnce(consoleUrl: string, operatorKey: string): Promise<ConsoleOverview | string> {
  try {
    const response = await fetch(`${consoleUrl}/api/orders/v1/dashboard/overview`, {
      headers: { authorization: `Bearer ${operatorKey}` },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return `HTTP ${response.status}`;
    return (await response.json()) as ConsoleOverview;
  } catch (error) {
    return (error as Error).message;
  }
}
