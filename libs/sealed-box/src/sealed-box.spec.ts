import { generateKeyPairSync } from 'node:crypto';

import { open, seal, SEALED_BOX_VERSION } from './sealed-box';
import { SealedBoxError } from './sealed-box.errors';

const pem = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

describe('sealed box', () => {
  const recipient = pem();
  const stranger = pem();

  it('opens what was sealed for the recipient, including unicode and empty text', () => {
    for (const text of ['XXXX-YYYY-ZZZZ', '卡密-ключ-🔑', '']) {
      expect(open(seal(text, recipient.publicKey), recipient.privateKey)).toBe(text);
    }
  });

  it('never repeats a box for the same plaintext and never contains it', () => {
    const a = seal('SAME-KEY-1234', recipient.publicKey);
    const b = seal('SAME-KEY-1234', recipient.publicKey);
    expect(a).not.toBe(b);
    expect(a.startsWith(`${SEALED_BOX_VERSION}.`)).toBe(true);
    expect(a).not.toContain('SAME-KEY-1234');
  });

  it('refuses to open with another private key', () => {
    const box = seal('secret', recipient.publicKey);
    expect(() => open(box, stranger.privateKey)).toThrow(
      expect.objectContaining({ code: 'SEALED_BOX.CANNOT_OPEN' }),
    );
  });

  it('detects tampering with any part', () => {
    const box = seal('secret-card-key', recipient.publicKey);
    const parts = box.split('.');
    for (let index = 1; index < parts.length; index++) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, 'base64url');
      bytes[bytes.length - 1]! ^= 0x01;
      altered[index] = bytes.toString('base64url');
      expect(() => open(altered.join('.'), recipient.privateKey)).toThrow(SealedBoxError);
    }
  });

  it('rejects malformed boxes and unknown versions with codes, never echoing content', () => {
    expect(() => open('not-a-box', recipient.privateKey)).toThrow(
      expect.objectContaining({ code: 'SEALED_BOX.MALFORMED' }),
    );
    const box = seal('secret', recipient.publicKey).replace(/^sb1/, 'sb9');
    expect(() => open(box, recipient.privateKey)).toThrow(
      expect.objectContaining({ code: 'SEALED_BOX.UNSUPPORTED_VERSION' }),
    );
  });

  it('rejects keys that are not RSA of at least 2048 bits', () => {
    const small = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(() => seal('x', small.publicKey)).toThrow(
      expect.objectContaining({ code: 'SEALED_BOX.INVALID_KEY' }),
    );
    expect(() => seal('x', 'garbage')).toThrow(expect.objectContaining({ code: 'SEALED_BOX.INVALID_KEY' }));
    expect(() => seal('x', recipient.privateKey)).toThrow(
      expect.objectContaining({ code: 'SEALED_BOX.INVALID_KEY' }),
    );
  });
});
