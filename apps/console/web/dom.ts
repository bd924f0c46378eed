/** A tiny DOM builder: text always goes in as text (never HTML), so data can't inject markup. */
export type Child = Node | string | number | null | undefined | false;
type Attr = string | number | boolean | undefined | ((event: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(target: Element, ...children: Array<Child | Child[]>): void {
  target.replaceChildren();
  append(target, children);
}

/** A table from rows; columns name the header and how to draw each cell. */
export function table<T>(
  rows: T[],
  columns: Array<[string, (row: T) => Child | Child[]]>,
  attrs: Record<string, Attr> = {},
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'Nothing here.');
  return h(
    'table',
    attrs,
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map(([title]) => h('th', {}, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map(([, cell]) => h('td', {}, cell(row))),
        ),
      ),
    ),
  );
}

/**
 * Every action asks first, in a modal that says what will happen; with `reason`, the operator must give
 * one (it is kept with the change). Resolves with the reason ('' without one), or null when cancelled.
 */
export function confirmAction(
  message: string,
  action: string,
  options: { reason?: string } = {},
): Promise<string | null> {
  return new Promise((resolve) => {
    const reason =
      options.reason !== undefined ? h('textarea', { 'data-testid': 'confirm-reason', rows: 2 }) : null;
    if (reason) reason.value = options.reason ?? '';
    const dialog = h(
      'dialog',
      { class: 'confirm', 'data-testid': 'confirm-dialog' },
      h('p', {}, message),
      reason ? h('label', {}, 'Reason', reason) : null,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'secondary', onclick: () => close(null) }, 'Cancel'),
        h(
          'button',
          {
            type: 'button',
            'data-testid': 'confirm-yes',
            onclick: () => {
              const given = reason ? reason.value.trim() : '';
              if (reason && given.length < 3) return reason.focus();
              close(given);
            },
          },
          action,
        ),
      ),
    );
    const close = (value: string | null) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.addEventListener('cancel', () => close(null));
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/** A short message at the top of the page; errors stay until dismissed. */
export function notify(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const area = document.getElementById('notices');
  if (!area) return;
  const note = h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  note.addEventListener('click', () => note.remove());
  area.appendChild(note);
  if (kind === 'ok') setTimeout(() => note.remove(), 6000);
}
