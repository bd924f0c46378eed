/**
 * Calls to the services through the console's /api/<service>/ proxy, with the operator's key. The key lives
 * in this tab's sessionStorage only: closing the tab logs out; nothing is sent without it.
 */
const KEY = 'keyflow.operator-key';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Service = 'orders' | 'inventory' | 'risk' | 'delivery';

export interface CallOptions {
  method?: string;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Use this key instead of the session's (the login form's check). */
  key?: string;
}

export async function api<T>(service: Service, path: string, options: CallOptions = {}): Promise<T> {
  const key = options.key ?? session.key();
  if (!key) {
    window.dispatchEvent(new Event('keyflow:logged-out'));
    throw new ApiError(401, 'not logged in');
  }
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['content-type'] = options.contentType ?? 'text/plain';
    body = options.text;
  }
  const response = await fetch(`/api/${service}/${path}`, { method: options.method ?? 'GET', headers, body });
  return answer<T>(response, options.key === undefined);
}

/** Public calls (the buyer page, settings): no operator key. */
export async function publicApi<T>(path: string, headers: Record<string, string> = {}): Promise<T> {
  return answer<T>(await fetch(`/api/${path}`, { headers }), false);
}

async function answer<T>(response: Response, logoutOn401: boolean): Promise<T> {
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && logoutOn401) {
      session.clear();
      window.dispatchEvent(new Event('keyflow:logged-out'));
    }
    throw new ApiError(response.status, reasonOf(parsed, text, response.status));
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function reasonOf(parsed: unknown, text: string, status: number): string {
  // Every service answers errors as RFC 9457 problem details: `detail` says what went wrong.
  if (parsed && typeof parsed === 'object' && typeof (parsed as { detail?: unknown }).detail === 'string')
    return (parsed as { detail: string }).detail;
  return text ? text.slice(0, 300) : `HTTP ${status}`;
}
