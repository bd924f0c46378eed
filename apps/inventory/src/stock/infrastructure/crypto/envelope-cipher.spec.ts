import { randomBytes, randomUUID } from 'node:crypto';

import { Secret } from '@keyflow/service-kit';
import { EnvelopeCipher } from './envelope-cipher';
import { MasterKeyring } from './master-keyring';

const entry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('envelope encryption of card keys', () => {
  const k1 = entry('k1');
  const k2 = entry('k2');
  const fingerprintKey = new Secret(randomBytes(32));

  it('round-trips a card key through a batch data key, never storing plaintext', () => {
    const cipher = new EnvelopeCipher(MasterKeyring.parse(k1), fingerprintKey);
    const batchId = randomUUID();
    const keyId = randomUUID();
    const { dataKey, wrapped } = cipher.newDataKey(batchId);
    const ciphertext = cipher.encryptKey(dataKey, keyId, 'CARD-KEY-0001');
    expect(ciphertext.toString('latin1')).not.toContain('CARD-KEY-0001');
    expect(wrapped.masterKeyId).toBe('k1');
    expect(cipher.decryptKey(cipher.unwrap(batchId, wrapped), keyId, ciphertext)).toBe('CARD-KEY-0001');
  });

  it('binds ciphertexts to their key id and data keys to their batch', () => {
    const cipher = new EnvelopeCipher(MasterKeyring.parse(k1), fingerprintKey);
    const batchId = randomUUID();
    const { dataKey, wrapped } = cipher.newDataKey(batchId);
    const ciphertext = cipher.encryptKey(dataKey, 'a', 'SECRET');
    expect(() => cipher.decryptKey(dataKey, 'b', ciphertext)).toThrow(
      expect.objectContaining({ code: 'INVENTORY.DECRYPTION_FAILED' }),
    );
    expect(() => cipher.unwrap(randomUUID(), wrapped)).toThrow(
      expect.objectContaining({ code: 'INVENTORY.DECRYPTION_FAILED' }),
    );
  });

  it('rotates: old batches open while the old key is listed, and after a re-wrap only the new key is needed', () => {
    const before = new EnvelopeCipher(MasterKeyring.parse(k1), fingerprintKey);
    const batchId = randomUUID();
    const { dataKey, wrapped } = before.newDataKey(batchId);
    const ciphertext = before.encryptKey(dataKey, 'key-1', 'OLD-BATCH-KEY');

    const during = new EnvelopeCipher(MasterKeyring.parse(`${k2};${k1}`), fingerprintKey);
    expect(during.decryptKey(during.unwrap(batchId, wrapped), 'key-1', ciphertext)).toBe('OLD-BATCH-KEY');
    const rewrapped = during.rewrap(batchId, wrapped);
    expect(rewrapped.masterKeyId).toBe('k2');

    const after = new EnvelopeCipher(MasterKeyring.parse(k2), fingerprintKey);
    expect(after.decryptKey(after.unwrap(batchId, rewrapped), 'key-1', ciphertext)).toBe('OLD-BATCH-KEY');
    expect(() => after.unwrap(batchId, wrapped)).toThrow(
      expect.objectContaining({ code: 'INVENTORY.MASTER_KEY_UNKNOWN' }),
    );
  });

  it('fingerprints equal keys equally, depending on the fingerprint key only', () => {
    const a = new EnvelopeCipher(MasterKeyring.parse(k1), fingerprintKey);
    const b = new EnvelopeCipher(MasterKeyring.parse(k2), fingerprintKey);
    const c = new EnvelopeCipher(MasterKeyring.parse(k1), new Secret(randomBytes(32)));
    expect(a.fingerprint('K-1').equals(b.fingerprint('K-1'))).toBe(true);
    expect(a.fingerprint('K-1').equals(a.fingerprint('K-2'))).toBe(false);
    expect(a.fingerprint('K-1').equals(c.fingerprint('K-1'))).toBe(false);
  });

  it('refuses malformed master key lists without echoing key material', () => {
    const material = randomBytes(16).toString('base64');
    expect(() => MasterKeyring.parse(`k1:${material}`)).toThrow(/must be 32 bytes/);
    try {
      MasterKeyring.parse(`k1:${material}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(material);
    }
    expect(() => MasterKeyring.parse(`${k1};${k1}`)).toThrow(/twice/);
    expect(() => MasterKeyring.parse('')).toThrow(/at least one/);
  });
});
