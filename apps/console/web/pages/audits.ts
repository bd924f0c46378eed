import { api } from '../api.js';
import { confirmAction, h, notify, table } from '../dom.js';
import { money, since } from '../format.js';
import { type Audit } from '../types.js';
import { live } from './live.js';

/**
 * Pass-first approvals waiting for their audit (risk-control), oldest first: confirm (the approval stands) or
 * reverse (the order is refunded, or its delivered keys revoked), once, with a reason.
 */
export function auditsSection(): { section: HTMLElement; stop: () => void } {
  const section = h('section', { 'data-testid': 'audits' });
  let stop = () => undefined as void;
  const refresh = () => {
    stop();
    stop = live(section, 10000, async () => {
      const page = await api<{ items: Audit[] }>('risk', 'v1/risk/audits?limit=100');
      return [
        table(page.items, [
          [
            'Order',
            (a) => h('a', { href: `/orders/${a.orderId}`, 'data-link': true }, a.orderId.slice(0, 8)),
          ],
          ['Waiting', (a) => since(a.queuedAt)],
          ['Amount', (a) => (a.amount ? money(a.amount) : '–')],
          ['Channel', (a) => a.paymentChannel ?? '–'],
          ['Score', (a) => String(a.score)],
          ['Findings', (a) => a.findings.map((f) => `${f.rule}: ${f.reason}`).join('; ') || '–'],
          ['', (a) => [close(a.orderId, 'confirm', refresh), ' ', close(a.orderId, 'reverse', refresh)]],
        ]),
      ];
    });
  };
  refresh();
  return { section, stop: () => stop() };
}

function close(orderId: string, verdict: 'confirm' | 'reverse', done: () => void): HTMLElement {
  const label = verdict === 'confirm' ? 'Confirm' : 'Reverse';
  return h(
    'button',
    {
      type: 'button',
      class: verdict === 'reverse' ? 'danger' : undefined,
      'data-testid': `audit-${verdict}-${orderId}`,
      onclick: async () => {
        const reason = await confirmAction(
          verdict === 'confirm'
            ? `Confirm the pass-first approval of order ${orderId}? The audit is closed.`
            : `Reverse the approval of order ${orderId}? It is refunded if not delivered yet; delivered keys are recorded as revoked.`,
          label,
          { reason: '' },
        );
        if (reason === null) return;
        try {
          await api<unknown>('risk', `v1/risk/audits/${orderId}/${verdict}`, {
            method: 'POST',
            json: { reason },
          });
          notify(
            `Audit of order ${orderId.slice(0, 8)} ${verdict === 'confirm' ? 'confirmed' : 'reversed'}.`,
          );
          done();
        } catch (e) {
          notify(`Could not ${verdict}: ${(e as Error).message}`, 'error');
        }
      },
    },
    label,
  );
}
