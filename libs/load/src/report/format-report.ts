import type { LoadRunResult } from '../load-run';
import type { Percentiles } from './percentiles';

const ms = (p?: Percentiles) =>
  p ? `p50 ${p.p50} ms   p95 ${p.p95} ms   p99 ${p.p99} ms   max ${p.max} ms` : 'no completed orders';

/** The run's report for a terminal: the promise first (lost, twice), then where the time went. */
export function formatReport(result: LoadRunResult): string {
  const s = result.summary;
  const stopped = Object.entries(s.stopped)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  const lines = [
    `Orders:     ${s.orders} started, ${s.placed} placed, ${s.paid} paid, ${s.completed} delivered and buyer notified` +
      (stopped ? `; stopped visibly: ${stopped}` : ''),
    `Lost:       ${s.lost}${s.lost > 0 ? `   (e.g. ${s.lost_order_ids.slice(0, 3).join(', ')})` : ''}` +
      `; paid but not completed: ${s.paid_not_completed}`,
    `Shed:       ${s.shed} buyers gave up after Retry-After; ${s.shed_responses} checkouts answered 503 + Retry-After`,
    `Twice:      ${s.duplicated} delivered twice, ${s.duplicate_goods_emails} goods emails sent twice`,
    `Recovered:  ${s.supplier_switches} orders switched to the backup supplier, ` +
      `${s.callbacks_recovered_by_active_query} payments found by active query (callback lost)`,
    `Throughput: ${result.throughputPerSecond.toFixed(1)} orders/s over ${result.seconds.toFixed(1)} s ` +
      `(peak ${s.peak_completed_per_s_5s}/s over 5 s; kept up with arrivals up to ${s.sustained_per_s}/s)`,
    `Paid → buyer notified:  ${ms(s.e2e_ms)}`,
    `Checkout → notified:    ${ms(s.checkout_to_notified_ms)}`,
    'Per stage:',
    ...Object.entries(s.stages_ms).map(([stage, p]) => `  ${stage.padEnd(13)} ${ms(p)}`),
  ];
  if (s.buyer_errors > 0)
    lines.push(`Buyer errors: ${s.buyer_errors} (${s.buyer_error_samples.join(' | ')})`);
  if (result.faultsApplied.length > 0) lines.push(`Faults:     ${result.faultsApplied.join(' → ')}`);
  return lines.join('\n');
}
