import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import { ordersSettingsFromEnv } from './orders-settings';

const pem = (type: 'ed25519' | 'x25519') =>
  generateKeyPairSync(type as 'ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const ed25519 = pem('ed25519');
const base = { ORDER_TOKEN_SECRET: 'x'.repeat(32), NODE_ENV: 'production' };

describe('orders settings: the pay-link signing key', () => {
  it('refuses to start without it, in production as anywhere (there is no default key)', () => {
    expect(() => ordersSettingsFromEnv(base)).toThrow(/PAY_LINK_SIGNING_KEY \(or _FILE\) is required/);
    expect(() => ordersSettingsFromEnv({ ...base, NODE_ENV: 'development' })).toThrow(
      /PAY_LINK_SIGNING_KEY \(or _FILE\) is required/,
    );
  });

  it('refuses a key that is not an Ed25519 private key, without echoing it', () => {
    const attempt = (key: string) => () => ordersSettingsFromEnv({ ...base, PAY_LINK_SIGNING_KEY: key });
    expect(attempt(ed25519.publicKey)).toThrow('PAY_LINK_SIGNING_KEY is not a private key in PEM form');
    expect(attempt(pem('x25519').privateKey)).toThrow('PAY_LINK_SIGNING_KEY must be an Ed25519 private key');
    const garbled = ed25519.privateKey.replace(/\n(.{10})/, '\n!!!!!!!!!!');
    let message = '';
    try {
      attempt(garbled)();
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/PAY_LINK_SIGNING_KEY is not a private key/);
    expect(message).not.toContain(garbled.split('\n')[1]!.slice(10));
  });

  it('holds the key as a key object that prints no key material', () => {
    const settings = ordersSettingsFromEnv({ ...base, PAY_LINK_SIGNING_KEY: ed25519.privateKey });
    expect(settings.payLinkSigningKey.asymmetricKeyType).toBe('ed25519');
    const body = ed25519.privateKey.split('\n')[1]!;
    expect(inspect(settings, { depth: 5 })).not.toContain(body);
    expect(JSON.stringify(settings)).not.toContain(body);
  });
});
