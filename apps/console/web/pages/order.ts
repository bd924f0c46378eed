import { api, ApiError, publicApi } from '../api.js';
import { confirmAction, h, notify } from '../dom.js';
import { duration, money, time } from '../format.js';
import { type DeliveryStatus, type Money } from '../types.js';
import { live } from './live.js';

interface Stage {
  stage: string;
  status: 'waiting' | 'done' | 'failed';
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  servedBy?: string;
  attempts: number;
  notes: string[];
}

interface OrderView {
  status: string;
  waitingReason?: string;
  sku: string;
  quantity: number;
  total: Money;
  paymentChannel: string;
  placedAt: string;
  stages: Stage[];
}

let traceTemplate: Promise<string | null> | undefined;
const traceUrl = async (orderId: string) => {
  traceTemplate ??= publicApi<{ traceUrlTemplate: string | null }>('config').then((c) => c.traceUrlTemplate);
  const template = await traceTemplate;
  return template ? template.replaceAll('{orderId}', encodeURIComponent(orderId)) : null;
};

/** One order: its stage timeline as bars, its delivery, a link to its trace, and the operator's actions. */
export function renderOrder(main: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id;
  const section = h('section', {});
  main.append(
    h('p', {}, h('a', { href: '/', 'data-link': true }, '← overview')),
    h('h1', {}, `Order ${id}`),
    actions(id),
    section,
  );
  return live(section, 2000, async () => {
    const [view, delivery, trace] = await Promise.all([
      api<OrderView>('orders', `v1/orders/${id}/timeline`),
      api<DeliveryStatus>('delivery', `v1/deliveries/${id}`).catch((e) =>
        e instanceof ApiError && e.status === 404 ? null : Promise.reject(e),
      ),
      traceUrl(id),
    ]);
    return [
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', { 'data-testid': 'order-status', class: `status ${view.status}` }, view.status),
        h('dt', {}, 'Waiting for'),
        h('dd', { 'data-testid': 'order-waiting' }, view.waitingReason ?? 'nothing'),
        h('dt', {}, 'Item'),
        h('dd', {}, `${view.sku} × ${view.quantity}, ${money(view.total)}, paid by ${view.paymentChannel}`),
        h('dt', {}, 'Placed'),
        h('dd', {}, time(view.placedAt)),
        h('dt', {}, 'Trace'),
        h(
          'dd',
          {},
          trace
            ? h(
                'a',
                { href: trace, target: '_blank', rel: 'noopener', 'data-testid': 'trace-link' },
                'open the trace',
              )
            : 'no trace UI configured (KEYFLOW_TRACE_UI)',
        ),
      ),
      h('h2', {}, 'Stage timeline'),
      timeline(view.stages, view.placedAt),
      h('h2', {}, 'Delivery'),
      delivery ? deliveryFacts(delivery) : h('p', {}, 'Not at delivery yet.'),
    ];
  });
}

function timeline(stages: Stage[], placedAt: string): HTMLElement {
  const start = Date.parse(placedAt);
  const end = Math.max(Date.now(), ...stages.map((s) => Date.parse(s.endedAt ?? s.startedAt)));
  const span = Math.max(1, end - start);
  return h(
    'div',
    { class: 'timeline', 'data-testid': 'timeline' },
    stages.map((s) => {
      const from = Date.parse(s.startedAt) - start;
      const to = (s.endedAt ? Date.parse(s.endedAt) : Date.now()) - start;
      const took = s.durationMs ?? to - from;
      const bar = h('div', {
        class: `bar ${s.status}`,
        title: `${s.stage}: ${time(s.startedAt)} → ${s.endedAt ? time(s.endedAt) : 'now'}`,
      });
      // Through the CSSOM, not a style attribute: the page's CSP allows no inline styles.
      bar.style.marginLeft = `${((from / span) * 100).toFixed(2)}%`;
      bar.style.width = `${Math.max(0.5, ((to - from) / span) * 100).toFixed(2)}%`;
      const details = [
        `${s.status === 'waiting' ? 'waiting' : s.status} ${duration(took)}`,
        s.attempts > 1 ? `${s.attempts} attempts` : null,
        s.servedBy ? `by ${s.servedBy}` : null,
      ].filter(Boolean);
      return h(
        'div',
        { class: 'stage', 'data-testid': `stage-${s.stage}`, 'data-status': s.status },
        h('div', { class: 'name' }, s.stage),
        h('div', { class: 'track' }, bar),
        h('div', { class: 'details' }, details.join(' · ')),
        s.notes.length
          ? h(
              'ul',
              { class: 'notes' },
              s.notes.map((n) => h('li', {}, n)),
            )
          : null,
      );
    }),
  );
}

function deliveryFacts(d: DeliveryStatus): HTMLElement {
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'delivery' },
    h('dt', {}, 'Delivery'),
    h('dd', { 'data-testid': 'delivery-status' }, d.status),
    h('dt', {}, 'Attempts'),
    h('dd', {}, String(d.attempts)),
    h('dt', {}, 'Route'),
    h('dd', {}, d.route.join(' → ') || d.source),
    h('dt', {}, 'Supplier switches'),
    h('dd', {}, d.supplierSwitches.map((s) => `${s.from} → ${s.to} (${s.reason})`).join('; ') || 'none'),
    h('dt', {}, 'Last error'),
    h('dd', {}, d.lastError ?? '–'),
    h('dt', {}, 'Re-deliveries'),
    h(
      'dd',
      {},
      d.redeliveries.map((r) => `${r.action} by ${r.requestedBy} at ${time(r.requestedAt)}`).join('; ') ||
        'none',
    ),
  );
}

function actions(orderId: string): HTMLElement {
  const redeliver = async () => {
    if (
      (await confirmAction(
        `Re-deliver order ${orderId}? A failed delivery is queued again (same purchase, never a second one); a delivered order's keys are sent to the buyer again.`,
        'Re-deliver',
      )) === null
    )
      return;
    try {
      const answer = await api<{ accepted: boolean; action: string }>(
        'delivery',
        `v1/deliveries/${orderId}/redeliver`,
        { method: 'POST' },
      );
      notify(
        answer.accepted
          ? `Re-delivery requested (${answer.action}).`
          : `Already requested a moment ago (${answer.action}).`,
      );
    } catch (e) {
      notify(`Re-delivery refused: ${(e as Error).message}`, 'error');
    }
  };
  const refund = async () => {
    const reason = await confirmAction(
      `Refund order ${orderId}? The payment is returned to the buyer and the order stops.`,
      'Refund',
      { reason: '' },
    );
    if (reason === null) return;
    try {
      const answer = await api<{ alreadyRequested: boolean }>('orders', `v1/orders/${orderId}/refund`, {
        method: 'POST',
        json: { reason },
      });
      notify(answer.alreadyRequested ? 'A refund was already requested.' : 'Refund requested.');
    } catch (e) {
      notify(`Refund refused: ${(e as Error).message}`, 'error');
    }
  };
  return h(
    'div',
    { class: 'actions' },
    h('button', { type: 'button', 'data-testid': 'redeliver', onclick: redeliver }, 'Re-deliver'),
    h('button', { type: 'button', class: 'danger', 'data-testid': 'refund', onclick: refund }, 'Refund'),
  );
}
