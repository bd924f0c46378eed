import { generateKeyPairSync } from 'node:crypto';

import { loadPaymentsConfig } from './payments.config';

const ed25519 = generateKeyPairSync('ed25519', {
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const base = {
  NODE_ENV: 'production',
  PAYMENT_PUBLIC_URL: 'https://pay.example',
  PAYMENT_PROVIDER_URL: 'https://provider.example',
  STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef',
};

describe('payment-callback settings: the pay-link public key', () => {
  it('refuses to start without it (there is no default key)', () => {
    expect(() => loadPaymentsConfig(base)).toThrow(/PAY_LINK_PUBLIC_KEY \(or _FILE\) is required/);
  });

  it('refuses orders’ private key: payment-callback must never be able to sign pay links', () => {
    expect(() => loadPaymentsConfig({ ...base, PAY_LINK_PUBLIC_KEY: ed25519.privateKey })).toThrow(
      /PAY_LINK_PUBLIC_KEY must be the public key only/,
    );
  });

  it('takes the Ed25519 public key', () => {
    const config = loadPaymentsConfig({ ...base, PAY_LINK_PUBLIC_KEY: ed25519.publicKey });
    expect(config.payLinkPublicKey).toMatchObject({ type: 'public', asymmetricKeyType: 'ed25519' });
  });
});
