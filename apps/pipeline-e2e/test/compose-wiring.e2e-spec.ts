/* eslint-disable @nx/enforce-module-boundaries -- test-only: the compose file is checked against each app's
   own config loader (the code that decides whether the service starts), not against a copy of its rules. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse } from 'yaml';

import { payLinkTestKeys } from '@keyflow/testing';

import { loadConsoleConfig } from '../../console/src/console.config';
import { parseSuppliersConfig } from '../../delivery/src/deliveries/config/suppliers-config';
import { loadPaymentsConfig } from '../../payment-callback/src/payments/config/payments.config';
import { generateSandboxKeys } from '../../sandbox-payment-provider/src/keys/generate-sandbox-keys';
import { loadSandboxConfig } from '../../sandbox-payment-provider/src/sandbox.config';
import { loadSandboxSuppliersConfig } from '../../sandbox-suppliers/src/sandbox-suppliers.config';

interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  secrets?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
}

const ROOT = path.resolve(__dirname, '../../..');
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
};
const service = (name: string) => compose.services[name]!;
/** The environment as compose hands it over when the shell sets nothing: `${X:-default}` → default. */
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service(name).environment ?? {}).map(([key, value]) => [
      key,
      String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'),
    ]),
  );
const mountOf = (name: string, volume: string) =>
  service(name)
    .volumes?.find((v) => v.startsWith(`${volume}:`))
    ?.split(':');

/** docker-compose.yml read as compose would, checked against what the services themselves accept. */
describe('docker compose: the demo wiring', () => {
  it('runs the sandbox payment provider and suppliers only in the demo profile', () => {
    expect(service('sandbox-payment-provider').profiles).toEqual(['demo']);
    expect(service('sandbox-suppliers').profiles).toEqual(['demo']);
    for (const name of [
      'orders',
      'payment-callback',
      'inventory',
      'risk-control',
      'delivery',
      'notification',
    ])
      expect(service(name).profiles).toBeUndefined();
  });

  it('gives payment-callback the keys the sandbox provider writes, and a config it starts with', () => {
    const sandboxEnv = envOf('sandbox-payment-provider');
    const [, written] = mountOf('sandbox-payment-provider', 'sandbox-keys')!;
    const [, read, mode] = mountOf('payment-callback', 'sandbox-keys')!;
    expect(compose.volumes).toHaveProperty('sandbox-keys');
    expect(sandboxEnv.SANDBOX_KEYS_DIR).toBe(written);
    expect([read, mode]).toEqual([written, 'ro']);
    expect(service('payment-callback').depends_on?.['sandbox-payment-provider']).toMatchObject({
      condition: 'service_healthy',
    });

    // The sandbox's own key files, made by its own generator, stand in for the volume.
    const keys = mkdtempSync(path.join(tmpdir(), 'compose-sandbox-keys-'));
    generateSandboxKeys(keys);
    // The compose secrets, as scripts/dev-secrets.js makes them, stand in for /run/secrets.
    const secrets = mkdtempSync(path.join(tmpdir(), 'compose-secrets-'));
    const payLink = payLinkTestKeys();
    writeFileSync(path.join(secrets, 'pay-link-public'), payLink.publicKey);
    expect(service('payment-callback').secrets).toEqual(['pay-link-public']);
    const env = Object.fromEntries(
      Object.entries(envOf('payment-callback')).map(([key, value]) => [
        key,
        value.replace(read!, keys).replace('/run/secrets', secrets),
      ]),
    );
    const config = loadPaymentsConfig(env);
    const sandbox = loadSandboxConfig(sandboxEnv);
    expect(config.alipay).toMatchObject(sandbox.alipay);
    expect(config.wechat?.platformSerial).toBe(sandbox.wechat.serial);
    expect(config.stripe).toBeDefined();
    expect(new URL(config.providerUrl!)).toMatchObject({
      hostname: 'sandbox-payment-provider',
      port: String(sandbox.port),
    });
    expect(new URL(config.notifyUrl)).toMatchObject({
      hostname: 'payment-callback',
      port: envOf('payment-callback').PORT,
    });
  });

  it('gives orders the pay-link signing key and payment-callback only its public half, both from the dev secrets', () => {
    expect(service('orders').secrets).toEqual(['pay-link-signing-private', 'order-token-secret']);
    expect(envOf('orders').PAY_LINK_SIGNING_KEY_FILE).toBe('/run/secrets/pay-link-signing-private');
    expect(envOf('payment-callback').PAY_LINK_PUBLIC_KEY_FILE).toBe('/run/secrets/pay-link-public');
    expect(envOf('payment-callback')).not.toHaveProperty('PAY_LINK_SIGNING_KEY_FILE');
    expect(compose.secrets['pay-link-signing-private']?.file).toBe(
      './.local/dev-secrets/pay-link-signing-private.pem',
    );
    expect(compose.secrets['pay-link-public']?.file).toBe('./.local/dev-secrets/pay-link-signing-public.pem');
    const devSecrets = readFileSync(path.join(ROOT, 'scripts/dev-secrets.js'), 'utf8');
    expect(devSecrets).toContain("'pay-link-signing-private.pem'");
    expect(devSecrets).toContain("'pay-link-signing-public.pem'");
  });

  it('gives orders and delivery the per-install order-token secret, and no service a default one', () => {
    for (const name of ['orders', 'delivery']) {
      expect(service(name).secrets).toContain('order-token-secret');
      expect(envOf(name).ORDER_TOKEN_SECRET_FILE).toBe('/run/secrets/order-token-secret');
    }
    for (const name of Object.keys(compose.services))
      expect(envOf(name)).not.toHaveProperty('ORDER_TOKEN_SECRET');
    expect(compose.secrets['order-token-secret']?.file).toBe('./.local/dev-secrets/order-token-secret');
    const devSecrets = readFileSync(path.join(ROOT, 'scripts/dev-secrets.js'), 'utf8');
    expect(devSecrets).toContain("ORDER_TOKEN_SECRET_FILE: ensure('order-token-secret'");
  });

  it('points delivery at suppliers the sandbox suppliers serve', () => {
    const sandbox = loadSandboxSuppliersConfig(envOf('sandbox-suppliers'));
    const suppliers = parseSuppliersConfig(envOf('delivery').DELIVERY_SUPPLIERS!);
    expect(suppliers.map((s) => s.id)).toEqual(sandbox.supplierIds);
    for (const supplier of suppliers)
      expect(supplier.baseUrl).toBe(`http://sandbox-suppliers:${sandbox.port}/suppliers/${supplier.id}`);
    expect(service('delivery').depends_on?.['sandbox-suppliers']).toMatchObject({
      condition: 'service_healthy',
    });
  });

  it('gives the console each service by its compose name, a Jaeger trace link, and depends on them healthy', () => {
    const config = loadConsoleConfig(envOf('console'));
    expect(config.upstreams).toEqual({
      orders: 'http://orders:3001',
      inventory: 'http://inventory:3003',
      risk: 'http://risk-control:3004',
      delivery: 'http://delivery:3005',
    });
    expect(config.traceUrlTemplate).toContain('localhost:16686');
    for (const upstream of ['orders', 'inventory', 'risk-control', 'delivery'])
      expect(service('console').depends_on?.[upstream]?.condition).toBe('service_healthy');
    expect(envOf('orders').ORDER_STATUS_PAGE_URL).toBe('http://localhost:3000');
  });
});
