/**
 * Which peers' X-Forwarded-For Express believes when it sets `req.ip` (HTTP_TRUST_PROXY, Express's
 * 'trust proxy' syntax: names such as loopback/uniquelocal, addresses, CIDRs; `off` for none). Per-address
 * limits (checkout throttling, wrong buyer links) need the buyer's address, not the console's or an
 * ingress's. The default trusts the local and private networks the console, ingresses and pods use; a
 * client on the internet cannot pass for another, since its own address is the first one not trusted.
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): string | false {
  const raw = env.HTTP_TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return 'loopback, linklocal, uniquelocal';
  return ['off', 'false', 'none'].includes(raw.toLowerCase()) ? false : raw;
}
