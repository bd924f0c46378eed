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
  STRIPE_SECRET_KEY: 'sk_live_0123456789abcdefABCDEF',
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

describe('payment-callback settings: provider clients', () => {
  const withKey = { ...base, PAY_LINK_PUBLIC_KEY: ed25519.publicKey };
  const { STRIPE_SECRET_KEY: _apiKey, ...withoutApiKey } = withKey;

  it('takes Stripe’s API key: the channel speaks Stripe’s API through the SDK', () => {
    const config = loadPaymentsConfig(withKey);
    expect(config.stripe?.api?.secretKey.reveal().toString()).toBe('sk_live_0123456789abcdefABCDEF');
    expect(config.stripe?.api?.apiUrl).toBeUndefined();
    expect(String(config.stripe?.api?.secretKey)).toBe('[redacted]');
  });

  it('refuses to start in production when a configured provider has no API keys (it would use the sandbox)', () => {
    expect(() => loadPaymentsConfig(withoutApiKey)).toThrow(
      /production needs .*stripe \(STRIPE_SECRET_KEY\)/,
    );
  });

  it('outside production, a provider without API keys speaks the sandbox’s API, which must then be set', () => {
    const dev = { ...withoutApiKey, NODE_ENV: 'development' };
    expect(loadPaymentsConfig(dev).stripe?.api).toBeUndefined();
    const { PAYMENT_PROVIDER_URL: _url, ...noSandbox } = dev;
    expect(() => loadPaymentsConfig(noSandbox)).toThrow(/PAYMENT_PROVIDER_URL \(the sandbox\) is required/);
  });

  it('refuses something that is not a Stripe secret key (a publishable key, say)', () => {
    expect(() =>
      loadPaymentsConfig({ ...withKey, STRIPE_SECRET_KEY: 'pk_live_0123456789abcdefABCDEF' }),
    ).toThrow(/STRIPE_SECRET_KEY must be a Stripe secret key/);
  });
});

describe('payment-callback settings: Alipay and WeChat Pay clients', () => {
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const alipay = {
    ALIPAY_PUBLIC_KEY: rsa.publicKey,
    ALIPAY_APP_ID: '2021000000000001',
    ALIPAY_SELLER_ID: '2088000000000001',
    ALIPAY_APP_PRIVATE_KEY: rsa.privateKey,
  };
  const wechat = {
    WECHAT_PLATFORM_PUBLIC_KEY: rsa.publicKey,
    WECHAT_APIV3_KEY: '0123456789abcdef0123456789abcdef',
    WECHAT_PLATFORM_SERIAL: 'PUB_KEY_ID_0001',
    WECHAT_MCH_PRIVATE_KEY: rsa.privateKey,
    WECHAT_MCH_SERIAL: 'MERCHANT0001',
    WECHAT_MCH_ID: '1900000001',
    WECHAT_APP_ID: 'wx0000000000000001',
  };
  const all = { ...base, PAY_LINK_PUBLIC_KEY: ed25519.publicKey, ...alipay, ...wechat };

  it('starts in production with every provider’s API keys, and the currency Alipay settles in from configuration', () => {
    const config = loadPaymentsConfig({ ...all, ALIPAY_CURRENCY: 'hkd' });
    expect(config.alipay).toMatchObject({
      currency: 'HKD',
      api: { gatewayUrl: 'https://openapi.alipay.com/gateway.do' },
    });
    expect(config.wechat?.api).toMatchObject({
      mchId: '1900000001',
      appId: 'wx0000000000000001',
      apiUrl: 'https://api.mch.weixin.qq.com',
    });
    expect(loadPaymentsConfig(all).alipay?.currency).toBe('CNY');
  });

  it.each([
    ['ALIPAY_APP_PRIVATE_KEY', /production needs .*alipay/],
    ['WECHAT_MCH_PRIVATE_KEY', /production needs .*wechat/],
    ['WECHAT_MCH_SERIAL', /WECHAT_MCH_SERIAL is required/],
    ['WECHAT_MCH_ID', /WECHAT_MCH_ID is required/],
  ])('refuses to start without %s', (name, message) => {
    const { [name]: _left, ...env } = all as Record<string, string>;
    expect(() => loadPaymentsConfig(env)).toThrow(message);
  });
});
