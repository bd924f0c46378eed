// Creates the Postgres databases named by the given URLs when they do not exist yet (the server must be
// running). Used by the start and test scripts so a fresh machine needs nothing done by hand.
const { Client } = require('pg');

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name))
    throw new Error(`unexpected database name "${name}" in ${redact(target)}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Postgres is not reachable at ${target.host} (${error.message}). Start Postgres or set DATABASE_URL.`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
      process.stderr.write(`created database ${name}\n`);
    }
  } finally {
    await client.end();
  }
}

function redact(url) {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}

(async () => {
  for (const url of process.argv.slice(2)) await ensureDatabase(url);
})().catch((error) => {
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
});
