import path from 'node:path';

import { SERVICES, type ServiceName } from './console/domain/proxy-routes';
import { traceUrlTemplate } from './console/domain/trace-link';

export interface ConsoleConfig {
  host: string;
  port: number;
  /** Base URL of each service's HTTP API (CONSOLE_<SERVICE>_URL). */
  upstreams: Record<ServiceName, string>;
  /** `{orderId}` is replaced by the order's id; undefined: no trace link. */
  traceUrlTemplate?: string;
  /** How buyers reach the shop, shown on the status page. */
  shopName: string;
  shopContact: string;
  /** The shop's delivery promises (the same SLA_TIER1/3_SECONDS orders watches). */
  promises: { usualSeconds: number; escalateSeconds: number };
  /** apps/console: public/ (HTML, CSS) and dist/web/ (the compiled front-end) live under it. */
  appRoot: string;
  /**
   * Whose X-Forwarded-For to believe for the buyer's address (HTTP_TRUST_PROXY, Express syntax, `off` for
   * none), passed on to services that limit wrong order links per address: the same rule and default as
   * the services' (service-kit's trustProxyFromEnv), local and private networks.
   */
  trustProxy: string | false;
}

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');

const DEFAULT_PORTS: Record<ServiceName, number> = {
  orders: 3001,
  inventory: 3003,
  risk: 3004,
  delivery: 3005,
};

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const upstreams = Object.fromEntries(
    SERVICES.map((service) => {
      const name = `CONSOLE_${service.toUpperCase()}_URL`;
      const raw = env[name] ?? `http://127.0.0.1:${DEFAULT_PORTS[service]}`;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new Error(`${name} is not a URL`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be http(s)`);
      return [service, raw.replace(/\/+$/, '')];
    }),
  ) as Record<ServiceName, string>;
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    if (!(value > 0)) throw new Error(`${name} must be a positive number of seconds`);
    return value;
  };
  const trustProxy = env.HTTP_TRUST_PROXY?.trim() || 'loopback, linklocal, uniquelocal';
  return {
    trustProxy: ['off', 'false', 'none'].includes(trustProxy.toLowerCase()) ? false : trustProxy,
    host: env.HOST ?? '127.0.0.1',
    port,
    upstreams,
    traceUrlTemplate: traceUrlTemplate(env.KEYFLOW_TRACE_UI, env.CONSOLE_TRACE_URL_TEMPLATE),
    shopName: env.NOTIFICATION_SHOP_NAME ?? env.CONSOLE_SHOP_NAME ?? 'Keyflow demo shop',
    shopContact: env.CONSOLE_SHOP_CONTACT ?? 'support@keyflow.local',
    promises: {
      usualSeconds: seconds('SLA_TIER1_SECONDS', 300),
      escalateSeconds: seconds('SLA_TIER3_SECONDS', 1800),
    },
    appRoot: path.resolve(__dirname, '..'),
  };
}
