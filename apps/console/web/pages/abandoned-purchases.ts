import { api } from '../api.js';
import { h, notify, table } from '../dom.js';
import { since, time } from '../format.js';
import { type AbandonedPurchase } from '../types.js';
import { live } from './live.js';

/**
 * Purchases delivery gave up on because a supplier never said whether it sold (the buyer was served by a
 * backup): open ones to reconcile with the supplier, quoting the idempotency key, and the latest reconciled.
 */
export function abandonedPurchasesSection(): { section: HTMLElement; stop: () => void } {
  const section = h('section', { 'data-testid': 'abandoned-purchases' });
  let stop = () => undefined as void;
  const refresh = () => {
    stop();
    stop = live(section, 10000, async () => {
      const [open, reconciled] = await Promise.all([
        api<{ items: AbandonedPurchase[] }>('delivery', 'v1/abandoned-purchases?state=open&limit=100'),
        api<{ items: AbandonedPurchase[] }>('delivery', 'v1/abandoned-purchases?state=reconciled&limit=20'),
      ]);
      return [
        h('h3', {}, 'To reconcile'),
        table(open.items, [
          ['Order', (p) => orderLink(p.orderId)],
          ['Supplier', (p) => p.supplierId],
          ['Idempotency key', (p) => h('code', {}, p.idempotencyKey)],
          ['Abandoned', (p) => since(p.abandonedAt)],
          ['', (p) => reconcileForm(p, refresh)],
        ]),
        h('h3', {}, 'Reconciled'),
        table(reconciled.items, [
          ['Order', (p) => orderLink(p.orderId)],
          ['Supplier', (p) => p.supplierId],
          ['Outcome', (p) => p.outcome ?? ''],
          ['By', (p) => `${p.reconciledBy ?? ''} at ${time(p.reconciledAt)}`],
          ['Note', (p) => p.note ?? ''],
        ]),
      ];
    });
  };
  refresh();
  return { section, stop: () => stop() };
}

function orderLink(orderId: string): HTMLElement {
  return h('a', { href: `/orders/${orderId}`, 'data-link': true }, orderId.slice(0, 8));
}

function reconcileForm(purchase: AbandonedPurchase, done: () => void): HTMLElement {
  const id = `${purchase.orderId}-${purchase.supplierId}`;
  const outcome = h(
    'select',
    { 'data-testid': `reconcile-outcome-${id}`, 'aria-label': 'What the supplier said' },
    h('option', { value: 'not-sold' }, 'not sold'),
    h('option', { value: 'sold' }, 'sold (recover or claim)'),
  );
  const note = h('input', {
    type: 'text',
    placeholder: 'note (who at the supplier said what)',
    'data-testid': `reconcile-note-${id}`,
    'aria-label': 'Note',
  });
  const submit = h(
    'button',
    {
      type: 'button',
      'data-testid': `reconcile-${id}`,
      onclick: async () => {
        if (note.value.trim().length < 3) return note.focus();
        try {
          await api<unknown>(
            'delivery',
            `v1/abandoned-purchases/${purchase.orderId}/${encodeURIComponent(purchase.supplierId)}/reconcile`,
            { method: 'POST', json: { outcome: outcome.value, note: note.value.trim() } },
          );
          notify(`Purchase of order ${purchase.orderId.slice(0, 8)} at ${purchase.supplierId} reconciled.`);
          done();
        } catch (e) {
          notify(`Could not reconcile: ${(e as Error).message}`, 'error');
        }
      },
    },
    'Mark reconciled',
  );
  return h('span', { class: 'inline-form' }, outcome, ' ', note, ' ', submit);
}
