import { api } from '../api.js';
import { confirmAction, h, notify, table } from '../dom.js';
import { time } from '../format.js';
import { type Supplier } from '../types.js';
import { abandonedPurchasesSection } from './abandoned-purchases.js';
import { live } from './live.js';

/** Each supplier's circuit breaker and whether delivery buys from it; take one out of rotation or back. */
export function renderSuppliers(main: HTMLElement): () => void {
  const section = h('section', { 'data-testid': 'suppliers' });
  const abandoned = abandonedPurchasesSection();
  main.append(h('h1', {}, 'Suppliers'), section, h('h2', {}, 'Purchases to reconcile'), abandoned.section);
  let stop = () => undefined as void;
  const refresh = () => {
    stop();
    stop = live(section, 3000, async () => {
      const suppliers = await api<Supplier[]>('delivery', 'v1/suppliers');
      return [
        table(suppliers, [
          ['Supplier', (s) => s.supplier],
          [
            'Circuit',
            (s) => h('span', { class: `badge ${s.state}`, 'data-testid': `breaker-${s.supplier}` }, s.state),
          ],
          [
            'In rotation',
            (s) => h('span', { 'data-testid': `rotation-${s.supplier}` }, s.inRotation ? 'yes' : 'no'),
          ],
          [
            'Last change',
            (s) =>
              s.rotationChange
                ? `${s.rotationChange.inRotation ? 'back in' : 'out'} by ${s.rotationChange.changedBy} at ${time(s.rotationChange.changedAt)}: ${s.rotationChange.reason}`
                : '–',
          ],
          ['', (s) => toggle(s.supplier, s.inRotation, refresh)],
        ]),
      ];
    });
  };
  refresh();
  return () => {
    stop();
    abandoned.stop();
  };
}

function toggle(supplier: string, inRotation: boolean, done: () => void): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: inRotation ? 'danger' : undefined,
      'data-testid': `toggle-${supplier}`,
      onclick: async () => {
        const reason = await confirmAction(
          inRotation
            ? `Take ${supplier} out of rotation? Delivery stops buying from it (purchases already made there are still collected).`
            : `Put ${supplier} back into rotation?`,
          inRotation ? 'Take out' : 'Put back',
          { reason: '' },
        );
        if (reason === null) return;
        try {
          await api<unknown>('delivery', `v1/suppliers/${encodeURIComponent(supplier)}/rotation`, {
            method: 'PUT',
            json: { inRotation: !inRotation, reason },
          });
          notify(`${supplier} ${inRotation ? 'taken out of' : 'put back into'} rotation.`);
          done();
        } catch (e) {
          notify(`Could not change ${supplier}: ${(e as Error).message}`, 'error');
        }
      },
    },
    inRotation ? 'Take out of rotation' : 'Put back',
  );
}
