import { checkWebhookUrl, isInternalAddress } from './webhook-url';

const strict = { production: true, allowPrivate: false };
const dev = { production: false, allowPrivate: false };

describe('webhook URL validation', () => {
  it('accepts a public https URL', () => {
    expect(checkWebhookUrl('https://hooks.example.com/keyflow', 'MERCHANT_WEBHOOK_URL', strict).host).toBe(
      'hooks.example.com',
    );
  });

  it('requires https in production only', () => {
    expect(() => checkWebhookUrl('http://hooks.example.com/x', 'MERCHANT_WEBHOOK_URL', strict)).toThrow(
      /MERCHANT_WEBHOOK_URL: must be https:\/\/ in production/,
    );
    expect(checkWebhookUrl('http://hooks.example.com/x', 'MERCHANT_WEBHOOK_URL', dev).protocol).toBe('http:');
  });

  it.each([
    'https://localhost/x',
    'https://api.localhost/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://172.20.0.1/x',
    'https://192.168.1.1/x',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/x',
    'https://0.0.0.0/x',
    'https://[::1]/x',
    'https://[fd00::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:10.0.0.1]/x',
  ])('refuses loopback and private %s unless allowed', (url) => {
    expect(() => checkWebhookUrl(url, 'X', dev)).toThrow(
      expect.objectContaining({ code: 'NOTIFICATION.WEBHOOK_URL_REFUSED' }),
    );
    expect(checkWebhookUrl(url, 'X', { production: false, allowPrivate: true })).toBeInstanceOf(URL);
  });

  it('refuses other schemes, garbage and credentials, naming the variable but not the URL', () => {
    expect(() => checkWebhookUrl('ftp://example.com', 'X', dev)).toThrow(/X: scheme ftp: is not allowed/);
    expect(() => checkWebhookUrl('not a url', 'X', dev)).toThrow(/X: not a URL/);
    expect(() => checkWebhookUrl('https://u:secret123@example.com', 'X', dev)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret123') }),
    );
  });

  it('tells public from internal addresses', () => {
    expect(isInternalAddress('8.8.8.8')).toBe(false);
    expect(isInternalAddress('2001:4860:4860::8888')).toBe(false);
    expect(isInternalAddress('172.32.0.1')).toBe(false);
    expect(isInternalAddress('172.31.255.255')).toBe(true);
  });
});
