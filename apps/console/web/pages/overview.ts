import { api } from '../api.js';
import { delayChart, type StageDelay } from '../chart.js';
import { type Child, h, table } from '../dom.js';
import { duration, percent, since, time } from '../format.js';
import { type OrderListItem, type Overview } from '../types.js';
import { live } from './live.js';

const STAGES = ['payment', 'stock-reservation', 'risk', 'stock-commit', 'delivery', 'notification'];

/** Live overview, the delay map and the stuck orders list, refreshed every few seconds. */
export function renderOverview(main: HTMLElement): () => void {
  const figures = h('section', { class: 'cards', 'data-testid': 'overview' });
  const chart = h('section', { 'data-testid': 'delay-map' });
  const stuck = h('section', { 'data-testid': 'stuck-orders' });
  const filters = stuckFilters(() => refreshStuck());
  main.append(
    h('h1', {}, 'Overview'),
    figures,
    h('h2', {}, 'Delay map — last hour'),
    chart,
    h('h2', {}, 'Stuck orders'),
    filters.form,
    stuck,
  );
  const stops = [
    live(figures, 5000, async () => overviewCards(await api<Overview>('orders', 'v1/dashboard/overview'))),
    live(chart, 15000, async () => {
      const map = await api<{ stages: StageDelay[]; slowest?: string }>(
        'orders',
        'v1/dashboard/delay-map?window=1h',
      );
      return [
        delayChart(map.stages, map.slowest),
        h('p', {}, map.slowest ? `Slowest stage by p95: ${map.slowest}.` : 'No orders in the last hour.'),
      ];
    }),
  ];
  let stopStuck = live(stuck, 5000, () => stuckList(filters.query()));
  const refreshStuck = () => {
    stopStuck();
    stopStuck = live(stuck, 5000, () => stuckList(filters.query()));
  };
  return () => [...stops, stopStuck].forEach((stop) => stop());
}

function overviewCards(o: Overview): Node[] {
  const card = (title: string, value: string, detail: string, testid: string) =>
    h(
      'div',
      { class: 'card', 'data-testid': testid },
      h('h3', {}, title),
      h('p', { class: 'big' }, value),
      h('p', {}, detail),
    );
  const nonZero = (counts: Record<string, number>) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${n}`)
      .join(' · ');
  const stages = `waiting in: ${nonZero(o.byStage) || '–'}; by status: ${nonZero(o.byStatus) || '–'}`;
  const open = Object.values(o.byStatus).reduce((a, b) => a + b, 0);
  const backlog = o.paidUndelivered;
  const alerts = o.alerts;
  return [
    card('Open orders', String(open), stages, 'card-open'),
    card(
      'Paid, not delivered',
      String(backlog.count),
      backlog.count ? `oldest paid ${since(backlog.oldestPaidAt)} ago` : 'none waiting',
      'card-backlog',
    ),
    card(
      'Delay rate',
      percent(o.window.delayRate),
      `${o.window.late} of ${o.window.paid} paid in ${duration(o.window.windowSeconds * 1000)} later than ${duration(o.window.lateAfterSeconds * 1000)}`,
      'card-delay-rate',
    ),
    card(
      'Paid → delivered',
      o.window.averageDeliverySeconds === null ? '–' : duration(o.window.averageDeliverySeconds * 1000),
      `average over ${duration(o.window.windowSeconds * 1000)}`,
      'card-average',
    ),
    h(
      'div',
      { class: `card alerts ${alerts.length ? 'raised' : ''}`, 'data-testid': 'card-alerts' },
      h('h3', {}, 'Open alerts'),
      alerts.length
        ? h(
            'ul',
            {},
            alerts.map((a) =>
              h('li', {}, `${a.severity ?? ''} ${a.summary ?? a.alertKey} (since ${time(a.raisedAt)})`),
            ),
          )
        : h('p', {}, 'none'),
    ),
  ];
}

function stuckFilters(onChange: () => void) {
  const stage = h(
    'select',
    { name: 'stage', 'data-testid': 'filter-stage' },
    h('option', { value: '' }, 'any stage'),
    STAGES.map((s) => h('option', { value: s }, s)),
  );
  const age = h(
    'select',
    { name: 'stuckFor', 'data-testid': 'filter-age' },
    ['0s', '30s', '1m', '5m', '10m', '30m'].map((v) =>
      h('option', { value: v, selected: v === '1m' }, `waiting ≥ ${v}`),
    ),
  );
  const sku = h('input', { name: 'sku', placeholder: 'SKU', 'data-testid': 'filter-sku', size: 12 });
  const supplier = h('input', {
    name: 'supplier',
    placeholder: 'supplier',
    'data-testid': 'filter-supplier',
    size: 10,
  });
  const form = h(
    'form',
    { class: 'filters', onsubmit: (e: Event) => (e.preventDefault(), onChange()) },
    stage,
    age,
    sku,
    supplier,
    h('button', { type: 'submit', 'data-testid': 'filter-apply' }, 'Filter'),
  );
  stage.addEventListener('change', onChange);
  age.addEventListener('change', onChange);
  const query = () => {
    const params = new URLSearchParams({ stuckFor: age.value, limit: '50' });
    if (stage.value) params.set('stage', stage.value);
    if (sku.value.trim()) params.set('sku', sku.value.trim());
    if (supplier.value.trim()) params.set('supplier', supplier.value.trim());
    return params.toString();
  };
  return { form, query };
}

async function stuckList(query: string): Promise<Child[]> {
  const list = await api<{ total: number; items: OrderListItem[] }>('orders', `v1/orders?${query}`);
  const rows = list.items.filter((o) => o.waitingSince);
  return [
    h('p', {}, `${list.total} waiting`),
    table(
      rows,
      [
        [
          'Order',
          (o) =>
            h(
              'a',
              { href: `/orders/${o.orderId}`, 'data-link': true, 'data-testid': 'stuck-order-link' },
              o.orderId.slice(0, 8),
            ),
        ],
        ['Status', (o) => o.status],
        ['Stage', (o) => o.currentStage ?? '–'],
        ['Waiting', (o) => since(o.waitingSince)],
        ['SKU', (o) => `${o.sku} × ${o.quantity}`],
        ['Why', (o) => o.waitingReason ?? ''],
      ],
      { 'data-testid': 'stuck-table' },
    ),
  ];
}
