import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { OrderAccessTokens, orderTokenSecretFromEnv } from './order-access-token';

describe('order access tokens', () => {
  const tokens = new OrderAccessTokens('k'.repeat(32));

  it('verifies its own token for the order only, and nothing shorter, longer or missing', () => {
    const token = tokens.issue('order-1');
    expect(tokens.verify('order-1', token)).toBe(true);
    expect(tokens.verify('order-2', token)).toBe(false);
    expect(tokens.verify('order-1', token.slice(1))).toBe(false);
    expect(tokens.verify('order-1', `${token}x`)).toBe(false);
    expect(tokens.verify('order-1', undefined)).toBe(false);
    expect(tokens.verify('order-1', '')).toBe(false);
  });

  it('does not verify a token made under another secret (e.g. the old constant development one)', () => {
    const other = new OrderAccessTokens('keyflow-development-order-token-secret-not-for-production');
    expect(tokens.verify('order-1', other.issue('order-1'))).toBe(false);
  });
});

describe('orderTokenSecretFromEnv', () => {
  it('has no default: refuses to start without a secret, in production and in development', () => {
    expect(() => orderTokenSecretFromEnv({ NODE_ENV: 'production' })).toThrow(
      /ORDER_TOKEN_SECRET \(or _FILE\) is required: production needs its own/,
    );
    expect(() => orderTokenSecretFromEnv({})).toThrow(/scripts\/dev-secrets\.js/);
  });

  it('reads the secret from the environment or from a file (the per-install development secret)', () => {
    expect(orderTokenSecretFromEnv({ ORDER_TOKEN_SECRET: 's'.repeat(40) })).toBe('s'.repeat(40));
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'token-')), 'order-token-secret');
    writeFileSync(file, `${'f'.repeat(43)}\n`);
    expect(orderTokenSecretFromEnv({ ORDER_TOKEN_SECRET_FILE: file, NODE_ENV: 'production' })).toBe(
      'f'.repeat(43),
    );
  });
});
