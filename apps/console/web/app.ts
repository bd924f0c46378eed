import { session } from './api.js';
import { h, replace } from './dom.js';
import { renderBuyer } from './pages/buyer.js';
import { renderLogin } from './pages/login.js';
import { renderOrder } from './pages/order.js';
import { renderOverview } from './pages/overview.js';
import { renderRisk } from './pages/risk.js';
import { renderStock } from './pages/stock.js';
import { renderSuppliers } from './pages/suppliers.js';

/** A page draws itself into `main` and returns what stops its refresh timers. */
export type Page = (main: HTMLElement, params: Record<string, string>) => () => void;

const OPERATOR_PAGES: Array<[RegExp, Page]> = [
  [/^\/$/, renderOverview],
  [/^\/orders\/(?<id>[0-9a-f-]{36})$/, renderOrder],
  [/^\/risk$/, renderRisk],
  [/^\/stock$/, renderStock],
  [/^\/suppliers$/, renderSuppliers],
];

let stop: () => void = () => undefined;

export function navigate(path: string): void {
  history.pushState(null, '', path);
  route();
}

function route(): void {
  stop();
  const root = document.getElementById('app')!;
  const path = location.pathname;
  const buyer = /^\/order\/(?<id>[0-9a-f-]{36})$/.exec(path);
  if (buyer) {
    const main = h('main', { class: 'buyer' });
    replace(root, h('div', { id: 'notices' }), main);
    stop = renderBuyer(main, buyer.groups!);
    return;
  }
  if (!session.key() || path === '/login') {
    const main = h('main', { class: 'login' });
    replace(root, h('div', { id: 'notices' }), main);
    stop = renderLogin(main, {});
    return;
  }
  const match = OPERATOR_PAGES.map(([pattern, page]) => [pattern.exec(path), page] as const).find(([m]) => m);
  const main = h('main', {});
  replace(root, header(), h('div', { id: 'notices' }), main);
  if (!match) {
    replace(main, h('h1', {}, 'Not found'), h('p', {}, 'No console page here.'));
    stop = () => undefined;
    return;
  }
  stop = match[1](main, (match[0]!.groups ?? {}) as Record<string, string>);
}

function header(): HTMLElement {
  const link = (href: string, text: string) =>
    h('a', { href, 'data-link': true, class: location.pathname === href ? 'active' : undefined }, text);
  return h(
    'header',
    {},
    h('strong', {}, 'keyflow console'),
    h(
      'nav',
      {},
      link('/', 'Overview'),
      link('/risk', 'Risk reviews'),
      link('/stock', 'Stock'),
      link('/suppliers', 'Suppliers'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'data-testid': 'logout',
        onclick: () => {
          session.clear();
          navigate('/login');
        },
      },
      'Log out',
    ),
  );
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element).closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href')!);
});
window.addEventListener('popstate', route);
window.addEventListener('keyflow:logged-out', () => {
  if (!location.pathname.startsWith('/order/') && location.pathname !== '/login') navigate('/login');
});
route();
