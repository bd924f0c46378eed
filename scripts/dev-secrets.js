// Makes the development secrets once, under .local/dev-secrets/ (mode 600, never committed), and prints
// the *_FILE variables that point at them. Production supplies its own through files or the environment.
//   node scripts/dev-secrets.js            → KEY=VALUE lines for the shell (npm start uses them)
// docker compose mounts the same files as secrets (see docker-compose.yml).
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(__dirname, '..', '.local', 'dev-secrets');
fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

function ensure(name, make) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, make(), { mode: 0o600 });
  return file;
}

const files = {
  // inventory: AES-256 master key(s) wrapping each import batch's data key; `id:base64;…`, first is current.
  INVENTORY_MASTER_KEYS_FILE: ensure(
    'inventory-master-keys',
    () => `dev1:${randomBytes(32).toString('base64')}\n`,
  ),
  // inventory: HMAC key for duplicate detection of card keys (fingerprints, never plaintext).
  INVENTORY_FINGERPRINT_KEY_FILE: ensure(
    'inventory-fingerprint-key',
    () => `${randomBytes(32).toString('base64')}\n`,
  ),
  // delivery: AES-256 key encrypting the keys bought from suppliers at rest.
  DELIVERY_KEY_ENCRYPTION_KEY_FILE: ensure(
    'delivery-key-encryption-key',
    () => `${randomBytes(32).toString('base64')}\n`,
  ),
  // orders and delivery: HMAC secret of buyers' order links (no default in the source; production brings its own).
  ORDER_TOKEN_SECRET_FILE: ensure('order-token-secret', () => `${randomBytes(32).toString('base64url')}\n`),
  // Sealing key pairs: inventory seals pool keys for delivery, delivery seals them for notification; only the
  // holder of the private half can open them.
  ...keyPair('DELIVERY', 'delivery'),
  ...keyPair('NOTIFICATION', 'notification'),
  // Pay links: orders signs the payment's facts into the pay URL (Ed25519), payment-callback checks them
  // with the public half only, so it can never make a pay link itself.
  ...payLinkKeyPair(),
};

function payLinkKeyPair() {
  const privateFile = path.join(dir, 'pay-link-signing-private.pem');
  const publicFile = path.join(dir, 'pay-link-signing-public.pem');
  if (!fs.existsSync(privateFile) || !fs.existsSync(publicFile)) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fs.writeFileSync(privateFile, privateKey, { mode: 0o600 });
    fs.writeFileSync(publicFile, publicKey, { mode: 0o600 });
  }
  return { PAY_LINK_SIGNING_KEY_FILE: privateFile, PAY_LINK_PUBLIC_KEY_FILE: publicFile };
}

function keyPair(prefix, name) {
  {
    const privateFile = path.join(dir, `${name}-sealing-private.pem`);
    const publicFile = path.join(dir, `${name}-sealing-public.pem`);
    if (!fs.existsSync(privateFile) || !fs.existsSync(publicFile)) {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', {
        modulusLength: 3072,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      });
      fs.writeFileSync(privateFile, privateKey, { mode: 0o600 });
      fs.writeFileSync(publicFile, publicKey, { mode: 0o600 });
    }
    return {
      [`${prefix}_SEALING_PUBLIC_KEY_FILE`]: publicFile,
      [`${prefix}_SEALING_PRIVATE_KEY_FILE`]: privateFile,
    };
  }
}

for (const [name, file] of Object.entries(files)) process.stdout.write(`${name}=${file}\n`);
