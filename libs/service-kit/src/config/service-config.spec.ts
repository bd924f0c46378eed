import { ConfigError, loadServiceConfig } from './service-config';

const identity = { service: 'orders', schema: 'orders', defaultPort: 3001 };

describe('loadServiceConfig', () => {
  it('uses the local Postgres and the default port when nothing is set', () => {
    expect(loadServiceConfig(identity, {})).toMatchObject({
      httpPort: 3001,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/keyflow',
      databasePoolSize: 10,
    });
  });

  it('stops with the name of the bad variable', () => {
    expect(() => loadServiceConfig(identity, { PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadServiceConfig(identity, { PORT: '70000' })).toThrow(
      /orders: invalid configuration: PORT/,
    );
    expect(() => loadServiceConfig(identity, { DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL must be a postgres/,
    );
    expect(() => loadServiceConfig(identity, { DATABASE_URL: 'nonsense' })).toThrow(
      /DATABASE_URL is not a URL/,
    );
  });
});
