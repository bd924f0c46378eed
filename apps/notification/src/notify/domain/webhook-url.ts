import { BlockList, isIP } from 'node:net';

import { NotificationError } from './notification.errors';

export interface WebhookUrlPolicy {
  /** NODE_ENV=production: only https, so signatures and payloads never cross the network in clear. */
  production: boolean;
  /** NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS=true (tests, local demos): loopback and private hosts allowed. */
  allowPrivate: boolean;
}

/** Addresses a webhook must not reach: they would let a configured URL probe internal services. */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata endpoints
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return internal.check(mapped[1]!, 'ipv4');
    return internal.check(address, 'ipv6');
  }
  return internal.check(address, 'ipv4');
}

/**
 * Checks a merchant or operator webhook URL when it is configured. `name` is the variable it came from;
 * errors name it and the host, never the full URL (bot URLs carry tokens in their path).
 */
export function checkWebhookUrl(raw: string, name: string, policy: WebhookUrlPolicy): URL {
  const refuse = (why: string) =>
    new NotificationError('NOTIFICATION.WEBHOOK_URL_REFUSED', `${name}: ${why}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw refuse(`scheme ${url.protocol} is not allowed`);
  if (policy.production && url.protocol !== 'https:') throw refuse('must be https:// in production');
  if (url.username || url.password) throw refuse('credentials in the URL are not allowed; use the secret');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || isInternalAddress(host);
  if (local && !policy.allowPrivate) {
    throw refuse(
      `host ${host} is a loopback or private address (set NOTIFICATION_ALLOW_PRIVATE_WEBHOOKS=true only for local testing)`,
    );
  }
  return url;
}
