// End-to-end tests against the real Kafka broker and Postgres; run in band (they share the broker).
const fs = require('node:fs');
const path = require('node:path');

const projects = ['libs', 'apps'].flatMap((dir) =>
  fs
    .readdirSync(path.join(__dirname, dir))
    .map((name) => path.join(__dirname, dir, name, 'jest.e2e.config.js'))
    .filter((file) => fs.existsSync(file)),
);

module.exports = { projects, testTimeout: 120000 };
