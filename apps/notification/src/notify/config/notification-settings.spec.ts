import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import { loadNotificationSettings } from './notification-settings';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const base = {
  NOTIFICATION_SEALING_PRIVATE_KEY: privateKey,
  SMTP_URL: 'smtp://mail.example.com:587',
  SMTP_FROM: 'Shop <shop@example.com>',
};

describe('notification settings', () => {
  it('reads a minimal email-only setup with the defaults', () => {
    const settings = loadNotificationSettings(base);
    expect(settings).toMatchObject({
      buyerChannels: ['email'],
      lateAfterSeconds: 300,
      operatorWebhooks: [],
      timeZone: 'UTC',
    });
    expect(settings.merchantWebhook).toBeUndefined();
  });

  it('checks webhook URLs, bot shapes and the channel chain, naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { MERCHANT_WEBHOOK_URL: 'https://10.0.0.5/hook', MERCHANT_WEBHOOK_SECRET: 'x'.repeat(20) },
        /MERCHANT_WEBHOOK_URL: host 10\.0\.0\.5/,
      ],
      [{ MERCHANT_WEBHOOK_URL: 'https://hooks.example.com/x' }, /MERCHANT_WEBHOOK_SECRET/],
      [{ NOTIFICATION_BUYER_CHANNELS: 'email,webhook' }, /MERCHANT_WEBHOOK_URL is required/],
      [
        { OPERATOR_WEBHOOKS: '[{"kind":"teams","url":"https://x.example.com"}]' },
        /OPERATOR_WEBHOOKS\[0\]\.kind/,
      ],
      [
        { OPERATOR_WEBHOOKS: '[{"kind":"telegram","url":"https://api.telegram.org/botT/sendMessage"}]' },
        /chatId is required/,
      ],
      [{ OPERATOR_WEBHOOKS: '{' }, /OPERATOR_WEBHOOKS must be a JSON list/],
      [{ NOTIFICATION_TIMEZONE: 'Mars/Olympus' }, /unknown time zone/],
      [{ NOTIFICATION_SEALING_PRIVATE_KEY: '' }, /NOTIFICATION_SEALING_PRIVATE_KEY \(or _FILE\) is required/],
      [{ SMTP_URL: '' }, /set both SMTP_URL and SMTP_FROM/],
    ];
    for (const [overrides, message] of cases) {
      expect(() => loadNotificationSettings({ ...base, ...overrides })).toThrow(message);
    }
    expect(() =>
      loadNotificationSettings({
        ...base,
        NODE_ENV: 'production',
        MERCHANT_WEBHOOK_URL: 'http://hooks.example.com/x',
      }),
    ).toThrow(/must be https:\/\/ in production/);
  });

  it('keeps the merchant secret out of logs', () => {
    const settings = loadNotificationSettings({
      ...base,
      MERCHANT_WEBHOOK_URL: 'https://hooks.example.com/x',
      MERCHANT_WEBHOOK_SECRET: 'whsec_do_not_print_me',
    });
    expect(inspect(settings, { depth: 5 })).not.toContain('whsec_do_not_print_me');
    expect(JSON.stringify(settings)).not.toContain('whsec_do_not_print_me');
  });
});
