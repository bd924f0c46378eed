import { api, ApiError, session } from '../api.js';
import { navigate } from '../app.js';
import { h, replace } from '../dom.js';

/** Nothing loads before a key works: the key is tried against orders before it is kept. */
export function renderLogin(main: HTMLElement, _params: Record<string, string>): () => void {
  const key = h('input', {
    type: 'password',
    name: 'key',
    autocomplete: 'off',
    placeholder: 'kf_…',
    'data-testid': 'login-key',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    {
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = '';
        try {
          await api<unknown>('orders', 'v1/dashboard/overview', { key: key.value.trim() });
          session.set(key.value.trim());
          navigate('/');
        } catch (e) {
          error.textContent =
            e instanceof ApiError && (e.status === 401 || e.status === 403)
              ? 'That key is not accepted (it needs at least the read scope).'
              : `Could not check the key: ${(e as Error).message}`;
        }
      },
    },
    h('label', {}, 'Operator API key', key),
    h('button', { type: 'submit', 'data-testid': 'login-submit' }, 'Log in'),
    error,
  );
  replace(
    main,
    h('h1', {}, 'keyflow operator console'),
    h(
      'p',
      {},
      'Log in with an operator API key. With npm start, the development key is in .local/dev-operator-key.',
    ),
    form,
  );
  key.focus();
  return () => undefined;
}
