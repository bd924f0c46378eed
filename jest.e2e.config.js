// End-to-end tests against the real Kafka broker and Postgres; run in band (they share the broker).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.e2e.config.js', '<rootDir>/apps/*/jest.e2e.config.js'],
};
