import {
  formatApiKeyRecord,
  generateApiKey,
  grants,
  parseApiKey,
  parseApiKeyRecords,
  verifyApiKey,
} from './api-keys';

describe('operator API keys', () => {
  const { key, record } = generateApiKey('night-shift', ['operate']);
  const records = parseApiKeyRecords(formatApiKeyRecord(record));

  it('verifies a generated key against its stored hash only', () => {
    expect(records[0]).toEqual(record);
    // The secret is base64url, which may itself hold '_': split('_') once gave '' and failed the test.
    expect(formatApiKeyRecord(record)).not.toContain(parseApiKey(key)!.secret);
    expect(verifyApiKey(records, key)?.name).toBe('night-shift');
  });

  it('rejects a wrong secret, an unknown id and garbage', () => {
    const other = generateApiKey('x', ['admin']).key;
    expect(verifyApiKey(records, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(verifyApiKey(records, other)).toBeUndefined();
    expect(verifyApiKey(records, 'Bearer nonsense')).toBeUndefined();
  });

  it('orders scopes: admin covers operate covers read', () => {
    expect(grants(['admin'], 'read')).toBe(true);
    expect(grants(['operate'], 'read')).toBe(true);
    expect(grants(['read'], 'operate')).toBe(false);
    expect(grants(['operate'], 'admin')).toBe(false);
  });

  it('names the bad entry in the configuration', () => {
    expect(() => parseApiKeyRecords('abc123:ops:read')).toThrow(/entry 1/);
    expect(() => parseApiKeyRecords(`abc123:ops:root:${'a'.repeat(64)}`)).toThrow(/invalid scopes: root/);
  });
});
