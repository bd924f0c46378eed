import { api } from '../api.js';
import { confirmAction, h, notify, table } from '../dom.js';
import { since } from '../format.js';
import { type Review } from '../types.js';
import { auditsSection } from './audits.js';
import { live } from './live.js';

/**
 * The manual review queue (risk-control): the longest-waiting first, approve or reject with a reason; below
 * it, pass-first approvals waiting for their audit.
 */
export function renderRisk(main: HTMLElement): () => void {
  const section = h('section', { 'data-testid': 'reviews' });
  const audits = auditsSection();
  main.append(h('h1', {}, 'Risk reviews'), section, h('h2', {}, 'Pass-first audits'), audits.section);
  let stop = () => undefined as void;
  const draw = async () => {
    const page = await api<{ items: Review[] }>('risk', 'v1/risk/reviews?limit=100');
    return [
      table(page.items, [
        [
          'Order',
          (r) => h('a', { href: `/orders/${r.orderId}`, 'data-link': true }, String(r.orderId).slice(0, 8)),
        ],
        ['Waiting', (r) => since(r.reviewSince)],
        ['Score', (r) => String(r.score ?? '')],
        ['Rule', (r) => r.rule ?? ''],
        ['Why', (r) => r.reason ?? ''],
        ['', (r) => [decide(r.orderId, 'approve', refresh), ' ', decide(r.orderId, 'reject', refresh)]],
      ]),
    ];
  };
  const refresh = () => {
    stop();
    stop = live(section, 10000, draw);
  };
  refresh();
  return () => {
    stop();
    audits.stop();
  };
}

function decide(orderId: string, verdict: 'approve' | 'reject', done: () => void): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: verdict === 'reject' ? 'danger' : undefined,
      'data-testid': `${verdict}-${orderId}`,
      onclick: async () => {
        const reason = await confirmAction(
          verdict === 'approve'
            ? `Approve order ${orderId}? It goes on to stock and delivery.`
            : `Reject order ${orderId}? The buyer is refunded.`,
          verdict === 'approve' ? 'Approve' : 'Reject',
          { reason: '' },
        );
        if (reason === null) return;
        try {
          await api<unknown>('risk', `v1/risk/reviews/${orderId}/${verdict}`, {
            method: 'POST',
            json: { reason },
          });
          notify(`Order ${orderId.slice(0, 8)} ${verdict === 'approve' ? 'approved' : 'rejected'}.`);
          done();
        } catch (e) {
          notify(`Could not ${verdict}: ${(e as Error).message}`, 'error');
        }
      },
    },
    verdict === 'approve' ? 'Approve' : 'Reject',
  );
}
