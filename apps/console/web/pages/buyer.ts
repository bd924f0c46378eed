import { publicApi } from '../api.js';
import { type Child, h } from '../dom.js';
import { money, time } from '../format.js';
import { type BuyerPage } from '../types.js';
import { live } from './live.js';

/**
 * The buyer's status page, reached by the link from checkout (`/order/<id>?token=…`). The token moves from
 * the address bar into this tab's storage at once, so it is not left in history, bookmarks or screenshots.
 */
export function renderBuyer(main: HTMLElement, params: Record<string, string>): () => void {
  const id = params.id;
  const storageKey = `keyflow.order-token.${id}`;
  const url = new URL(location.href);
  const fromLink = url.searchParams.get('token');
  if (fromLink) {
    sessionStorage.setItem(storageKey, fromLink);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search);
  }
  const token = sessionStorage.getItem(storageKey);
  if (!token) {
    main.append(
      h('h1', {}, 'Your order'),
      h('p', {}, 'Open this page with the status link from your checkout or email.'),
    );
    return () => undefined;
  }
  const section = h('section', {});
  main.append(section);
  let done = false;
  const stop = live(section, 3000, async () => {
    if (done) return [...section.childNodes];
    const status = await publicApi<BuyerPage>(`buyer/orders/${id}`, { 'x-order-token': token });
    done = Boolean(status.keys);
    if (done) setTimeout(stop, 0);
    return page(status);
  });
  return stop;
}

function page(s: BuyerPage): Child[] {
  return [
    h('h1', {}, s.shop.name),
    h('p', { class: 'order-line' }, `Order ${s.orderId} · ${s.sku} × ${s.quantity} · ${money(s.total)}`),
    h('h2', { 'data-testid': 'buyer-headline' }, s.headline),
    s.expectedBy
      ? h('p', { class: 'expected', 'data-testid': 'buyer-expected' }, `Expected by ${time(s.expectedBy)}`)
      : null,
    s.note ? h('p', {}, s.note) : null,
    h(
      'ol',
      { class: 'steps', 'data-testid': 'buyer-steps' },
      s.steps.map((step) =>
        h(
          'li',
          { class: step.state },
          h('span', {}, step.label),
          step.at ? h('time', {}, time(step.at)) : null,
        ),
      ),
    ),
    s.keys
      ? h(
          'section',
          { class: 'keys', 'data-testid': 'buyer-keys' },
          h('h2', {}, 'Your codes'),
          h(
            'ul',
            {},
            s.keys.map((k) => h('li', {}, h('code', {}, k.code))),
          ),
        )
      : null,
    h(
      'footer',
      {},
      'Questions about this order? Contact ',
      h('a', { href: `mailto:${s.shop.contact}` }, s.shop.contact),
      ` and give your order number ${s.orderId}.`,
    ),
  ];
}
