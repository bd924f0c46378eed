import { api } from '../api.js';
import { confirmAction, h, notify, replace, table } from '../dom.js';
import { time } from '../format.js';
import { type ImportAnswer, type ImportEntry, type StockLevel } from '../types.js';
import { live } from './live.js';

/** Keys per request: small enough that progress moves, large enough that a 10 000-key file is quick. */
const CHUNK = 500;

/** Stock levels with low-stock SKUs first, card-key import with progress, and the import history. */
export function renderStock(main: HTMLElement): () => void {
  const levels = h('section', { 'data-testid': 'stock-levels' });
  const history = h('section', { 'data-testid': 'imports' });
  main.append(
    h('h1', {}, 'Stock'),
    levels,
    h('h2', {}, 'Import card keys'),
    importForm(),
    h('h2', {}, 'Recent imports'),
    history,
  );
  const stops = [
    live(levels, 5000, async () => {
      const [all, low] = await Promise.all([
        api<StockLevel[]>('inventory', 'v1/stock'),
        api<StockLevel[]>('inventory', 'v1/stock/low'),
      ]);
      const lowSkus = new Set(low.map((l) => l.sku));
      return [
        h(
          'p',
          { 'data-testid': 'low-stock' },
          lowSkus.size ? `Low stock: ${[...lowSkus].join(', ')}` : 'No SKU is low on stock.',
        ),
        table(all, [
          ['SKU', (l) => h('span', { class: lowSkus.has(l.sku) ? 'low' : undefined }, l.sku)],
          ['Source', (l) => l.source],
          ['Available', (l) => (l.available === null ? 'unlimited' : String(l.available))],
          ['Reserved', (l) => String(l.reserved)],
          ['Sold', (l) => String(l.sold)],
          ['Low below', (l) => String(l.lowStockThreshold ?? '–')],
        ]),
      ];
    }),
    live(history, 10000, async () => [
      table(await api<ImportEntry[]>('inventory', 'v1/imports?limit=20'), [
        ['When', (b) => time(b.importedAt)],
        ['SKU', (b) => b.sku],
        ['Imported', (b) => `${b.imported} of ${b.received}`],
        ['Label', (b) => b.label ?? ''],
        ['By', (b) => b.importedBy ?? ''],
      ]),
    ]),
  ];
  return () => stops.forEach((stop) => stop());
}

function importForm(): HTMLElement {
  const sku = h('input', {
    name: 'sku',
    placeholder: 'SKU, e.g. STEAM-100',
    required: true,
    'data-testid': 'import-sku',
  });
  const file = h('input', { type: 'file', accept: '.txt,.csv,text/plain', 'data-testid': 'import-file' });
  const pasted = h('textarea', {
    rows: 4,
    placeholder: 'or paste keys, one per line',
    'data-testid': 'import-text',
  });
  const progress = h('progress', { max: 1, value: 0, 'data-testid': 'import-progress' });
  const status = h('p', { 'data-testid': 'import-status' });
  const form = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const text = file.files?.[0] ? await file.files[0].text() : pasted.value;
        const keys = text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean);
        if (!sku.value.trim() || keys.length === 0)
          return notify('Give a SKU and at least one key.', 'error');
        const ok = await confirmAction(`Import ${keys.length} keys into ${sku.value.trim()}?`, 'Import');
        if (ok === null) return;
        await importKeys(sku.value.trim(), keys, file.files?.[0]?.name ?? 'pasted', progress, status);
        pasted.value = '';
      },
    },
    sku,
    file,
    pasted,
    h('button', { type: 'submit', 'data-testid': 'import-submit' }, 'Import'),
    progress,
    status,
  );
  return form;
}

/** Sends the keys in parts, so the bar shows real progress and a failure says how far it got. */
async function importKeys(
  sku: string,
  keys: string[],
  name: string,
  bar: HTMLProgressElement,
  status: HTMLElement,
) {
  const parts = Math.ceil(keys.length / CHUNK);
  let imported = 0;
  let duplicates = 0;
  bar.max = keys.length;
  bar.value = 0;
  for (let part = 0; part < parts; part++) {
    const slice = keys.slice(part * CHUNK, (part + 1) * CHUNK);
    try {
      const answer = await api<ImportAnswer>('inventory', `v1/skus/${encodeURIComponent(sku)}/keys`, {
        method: 'POST',
        text: slice.join('\n'),
        contentType: 'text/plain',
        headers: { 'x-import-label': `${name} (${part + 1}/${parts})` },
      });
      imported += Number(answer.imported ?? slice.length);
      duplicates += count(answer.duplicatesInBatch) + count(answer.duplicatesInPool);
    } catch (e) {
      replace(
        status,
        `Stopped at part ${part + 1} of ${parts}: ${(e as Error).message}. ${imported} keys were imported before.`,
      );
      return notify(`Import failed: ${(e as Error).message}`, 'error');
    }
    bar.value = Math.min(keys.length, (part + 1) * CHUNK);
    replace(
      status,
      `${bar.value} of ${keys.length} sent · ${imported} imported · ${duplicates} duplicates skipped`,
    );
  }
  notify(`Imported ${imported} keys into ${sku}.`);
}

/** Duplicates come back as line numbers or as a count, depending on where they were found. */
function count(value: unknown): number {
  return Array.isArray(value) ? value.length : Number(value ?? 0);
}
