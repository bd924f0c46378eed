import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

import { CompactEncrypt } from 'jose';

import { open, seal, SEALED_BOX_TYPE } from './sealed-box';
import { SealedBoxError } from './sealed-box.errors';

const pem = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'opened',
    (error: unknown) => (error instanceof SealedBoxError ? error.code : `unexpected ${String(error)}`),
  );

/** The retired `sb1` sealer, kept here only to make boxes an older Keyflow would have published. */
function sealSb1(plaintext: string, publicKeyPem: string): string {
  const contentKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', contentKey, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from('sb1'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const wrapped = publicEncrypt(
    { key: publicKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    contentKey,
  );
  return ['sb1', wrapped, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

describe('sealed box (compact JWE, RSA-OAEP-256 + A256GCM)', () => {
  const recipient = pem();
  const stranger = pem();

  it('opens what was sealed for the recipient, including unicode and empty text', async () => {
    for (const text of ['XXXX-YYYY-ZZZZ', '卡密-ключ-🔑', '']) {
      expect(await open(await seal(text, recipient.publicKey), recipient.privateKey)).toBe(text);
    }
  });

  it('is a standard compact JWE that plain node:crypto opens by RFC 7516 alone', async () => {
    const box = await seal('RFC-7516-KEY', recipient.publicKey);
    const [header, encryptedKey, iv, ciphertext, tag] = box.split('.') as [
      string,
      string,
      string,
      string,
      string,
    ];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      typ: SEALED_BOX_TYPE,
    });
    const contentKey = privateDecrypt(
      { key: recipient.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(encryptedKey, 'base64url'),
    );
    const decipher = createDecipheriv('aes-256-gcm', contentKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(header, 'ascii')); // RFC 7516 §5.1 step 14: AAD = ASCII(BASE64URL(header))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]);
    expect(plaintext.toString()).toBe('RFC-7516-KEY');
  });

  it('never repeats a box for the same plaintext and never contains it', async () => {
    const a = await seal('SAME-KEY-1234', recipient.publicKey);
    const b = await seal('SAME-KEY-1234', recipient.publicKey);
    expect(a).not.toBe(b);
    expect(a).not.toContain('SAME-KEY-1234');
    expect(a).not.toContain(Buffer.from('SAME-KEY-1234').toString('base64url'));
  });

  it('refuses to open with another private key', async () => {
    const box = await seal('secret', recipient.publicKey);
    expect(await codeOf(open(box, stranger.privateKey))).toBe('SEALED_BOX.CANNOT_OPEN');
  });

  it('detects tampering with any part', async () => {
    const box = await seal('secret-card-key', recipient.publicKey);
    const parts = box.split('.');
    for (let index = 1; index < parts.length; index++) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[index]!, 'base64url');
      bytes[bytes.length - 1]! ^= 0x01;
      altered[index] = bytes.toString('base64url');
      expect(await codeOf(open(altered.join('.'), recipient.privateKey))).toMatch(/^SEALED_BOX\./);
    }
  });

  it('refuses a JWE made with weaker or other algorithms, or holding something else', async () => {
    const publicKey = createPublicKey(recipient.publicKey);
    const oaepSha1 = await new CompactEncrypt(Buffer.from('x'))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', typ: SEALED_BOX_TYPE })
      .encrypt(publicKey);
    expect(await codeOf(open(oaepSha1, recipient.privateKey))).toBe('SEALED_BOX.UNSUPPORTED_VERSION');
    const otherType = await new CompactEncrypt(Buffer.from('x'))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'JWT' })
      .encrypt(publicKey);
    expect(await codeOf(open(otherType, recipient.privateKey))).toBe('SEALED_BOX.UNSUPPORTED_VERSION');
  });

  it('still opens boxes in the retired sb1 format, and detects tampering in them', async () => {
    const legacy = sealSb1('OLD-FORMAT-KEY', recipient.publicKey);
    expect(await open(legacy, recipient.privateKey)).toBe('OLD-FORMAT-KEY');
    expect(await codeOf(open(legacy, stranger.privateKey))).toBe('SEALED_BOX.CANNOT_OPEN');
    const parts = legacy.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(await codeOf(open(parts.join('.'), recipient.privateKey))).toBe('SEALED_BOX.CANNOT_OPEN');
  });

  it('rejects malformed boxes with codes, never echoing content', async () => {
    for (const garbage of ['not-a-box', 'a.b.c', 'sb1.!!.x.y.z', '....']) {
      const error = await open(garbage, recipient.privateKey).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SealedBoxError);
      expect((error as SealedBoxError).code).toMatch(/^SEALED_BOX\.(MALFORMED|CANNOT_OPEN)$/);
      expect((error as Error).message).not.toContain(garbage);
    }
  });

  it('rejects keys that are not RSA of at least 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(await codeOf(seal('x', small.publicKey))).toBe('SEALED_BOX.INVALID_KEY');
    expect(await codeOf(seal('x', 'garbage'))).toBe('SEALED_BOX.INVALID_KEY');
    expect(await codeOf(seal('x', recipient.privateKey))).toBe('SEALED_BOX.INVALID_KEY');
  });
});
