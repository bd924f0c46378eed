'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
exports.SEALED_BOX_VERSION = void 0;
exports.seal = seal;
exports.open = open;
exports.asPublicKey = asPublicKey;
exports.asPrivateKey = asPrivateKey;
const node_crypto_1 = require('node:crypto');
const sealed_box_errors_1 = require('./sealed-box.errors');
/**
 * Hybrid encryption for one recipient: a fresh AES-256-GCM key encrypts the message and is itself
 * encrypted with the recipient's RSA public key (OAEP, SHA-256). Only the holder of the private key
 * (delivery) can open what a sender (inventory) sealed; the sender cannot open it again.
 *
 * Compact format, all parts base64url:  sb1.<wrapped key>.<iv>.<tag>.<ciphertext>
 * The version prefix is also the GCM additional data, so a box cannot be relabelled as another version.
 */
exports.SEALED_BOX_VERSION = 'sb1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MIN_RSA_BITS = 2048;
function seal(plaintext, recipientPublicKey) {
  const publicKey = asPublicKey(recipientPublicKey);
  const contentKey = (0, node_crypto_1.randomBytes)(KEY_BYTES);
  const iv = (0, node_crypto_1.randomBytes)(IV_BYTES);
  const cipher = (0, node_crypto_1.createCipheriv)('aes-256-gcm', contentKey, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(exports.SEALED_BOX_VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const wrappedKey = (0, node_crypto_1.publicEncrypt)(
    { key: publicKey, padding: node_crypto_1.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    contentKey,
  );
  contentKey.fill(0);
  return [exports.SEALED_BOX_VERSION, wrappedKey, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}
function open(sealed, recipientPrivateKey) {
  const privateKey = asPrivateKey(recipientPrivateKey);
  const parts = sealed.split('.');
  if (parts.length !== 5)
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.MALFORMED', 'expected 5 dot-separated parts');
  const [version, ...encoded] = parts;
  if (version !== exports.SEALED_BOX_VERSION) {
    throw new sealed_box_errors_1.SealedBoxError(
      'SEALED_BOX.UNSUPPORTED_VERSION',
      `version "${version.slice(0, 8)}" is unknown`,
    );
  }
  const [wrappedKey, iv, tag, ciphertext] = encoded.map(decodePart);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.MALFORMED', 'iv or tag has the wrong length');
  }
  let contentKey;
  try {
    contentKey = (0, node_crypto_1.privateDecrypt)(
      { key: privateKey, padding: node_crypto_1.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      wrappedKey,
    );
  } catch {
    throw new sealed_box_errors_1.SealedBoxError(
      'SEALED_BOX.CANNOT_OPEN',
      'the content key does not unwrap with this private key',
    );
  }
  try {
    const decipher = (0, node_crypto_1.createDecipheriv)('aes-256-gcm', contentKey, iv, {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(exports.SEALED_BOX_VERSION));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new sealed_box_errors_1.SealedBoxError(
      'SEALED_BOX.CANNOT_OPEN',
      'the box was altered or sealed for another key',
    );
  } finally {
    contentKey.fill(0);
  }
}
/** Parses and checks a recipient public key once (e.g. at start), so seal() fails early on bad config. */
function asPublicKey(input) {
  // createPublicKey would happily derive a public key from a private one; a sender must never hold that.
  if (typeof input === 'string' && input.includes('PRIVATE KEY')) {
    throw new sealed_box_errors_1.SealedBoxError(
      'SEALED_BOX.INVALID_KEY',
      'expected a public key, got a private key',
    );
  }
  let key;
  try {
    key = typeof input === 'string' ? (0, node_crypto_1.createPublicKey)(input) : input;
  } catch {
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.INVALID_KEY', 'not a public key in PEM form');
  }
  return checkedRsa(key, 'public');
}
function asPrivateKey(input) {
  let key;
  try {
    key = typeof input === 'string' ? (0, node_crypto_1.createPrivateKey)(input) : input;
  } catch {
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.INVALID_KEY', 'not a private key in PEM form');
  }
  return checkedRsa(key, 'private');
}
function checkedRsa(key, type) {
  if (key.type !== type || key.asymmetricKeyType !== 'rsa') {
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.INVALID_KEY', `expected an RSA ${type} key`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new sealed_box_errors_1.SealedBoxError(
      'SEALED_BOX.INVALID_KEY',
      `RSA keys must have at least ${MIN_RSA_BITS} bits`,
    );
  }
  return key;
}
function decodePart(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part))
    throw new sealed_box_errors_1.SealedBoxError('SEALED_BOX.MALFORMED', 'a part is not base64url');
  return Buffer.from(part, 'base64url');
}
//# sourceMappingURL=sealed-box.js.map
