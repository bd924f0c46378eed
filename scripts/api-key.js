// Generates an operator API key: prints the key once (give it to the operator) and the line to add to
// OPERATOR_API_KEYS (only the hash is stored). Usage: node scripts/api-key.js <name> <read|operate|admin>[+…]
const { createHash, randomBytes } = require('node:crypto');

const [name, scopes] = process.argv.slice(2);
if (
  !name ||
  !scopes ||
  !/^(read|operate|admin)(\+(read|operate|admin))*$/.test(scopes) ||
  name.includes(':')
) {
  process.stderr.write('usage: node scripts/api-key.js <name> <read|operate|admin>[+…]\n');
  process.exit(2);
}
const id = randomBytes(6).toString('hex');
const secret = randomBytes(32).toString('base64url');
const hash = createHash('sha256').update(secret).digest('hex');
process.stdout.write(
  `key (shown once):        kf_${id}_${secret}\nOPERATOR_API_KEYS entry: ${id}:${name}:${scopes}:${hash}\n`,
);
