/** The services the console talks to, each through its own HTTP API (the owning service decides). */
export const SERVICES = ['orders', 'inventory', 'risk', 'delivery'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * What the console may reach behind each service, as path prefixes: the console is a window onto the
 * operator APIs, never an open proxy onto health, metrics or admin endpoints it has no screen for.
 */
const ALLOWED: Record<ServiceName, string[]> = {
  orders: ['v1/orders', 'v1/dashboard/', 'v1/products'],
  inventory: ['v1/stock', 'v1/skus', 'v1/imports'],
  risk: ['v1/risk/reviews', 'v1/risk/audits'],
  delivery: ['v1/deliveries/', 'v1/suppliers', 'v1/abandoned-purchases'],
};

export type ProxyTarget = { service: ServiceName; path: string } | { refused: string };

/**
 * Maps `/api/<service>/<path>` to the service and its path. Refuses unknown services, paths outside the
 * allow-list and anything that could climb out of it (`..`, encoded slashes, backslashes).
 */
export function proxyTarget(service: string, path: string): ProxyTarget {
  if (!(SERVICES as readonly string[]).includes(service)) return { refused: `unknown service "${service}"` };
  // URL parsers treat %2e as a dot: refuse encoded dots and slashes outright, and plain . / .. segments.
  if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(path)) {
    return { refused: 'path may not contain . or .. segments or encoded separators' };
  }
  const clean = path.replace(/^\/+/, '');
  // "v1/orders" allows itself and what lies below it; "v1/dashboard/" only what lies below it.
  const allowed = ALLOWED[service as ServiceName].some((prefix) =>
    prefix.endsWith('/') ? clean.startsWith(prefix) : clean === prefix || clean.startsWith(`${prefix}/`),
  );
  if (!allowed) return { refused: `the console does not reach ${service} /${clean}` };
  return { service: service as ServiceName, path: clean };
}
