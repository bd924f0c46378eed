import { kafkaSettingsFromEnv } from './kafka-settings';

describe('kafkaSettingsFromEnv', () => {
  it('defaults to the local broker without TLS or SASL', () => {
    expect(kafkaSettingsFromEnv('orders', {})).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'orders',
      ssl: false,
      topicPartitions: 3,
      replicationFactor: 1,
      consumerSessionTimeoutMs: 30000,
      consumerMessagesPerTransaction: 64,
    });
  });

  it('turns on TLS and SASL from configuration alone', () => {
    const settings = kafkaSettingsFromEnv('orders', {
      KAFKA_BROKERS: 'b1:9093, b2:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'orders',
      KAFKA_SASL_PASSWORD: 'secret',
    });
    expect(settings).toMatchObject({
      brokers: ['b1:9093', 'b2:9093'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'orders', password: 'secret' },
    });
  });

  it('names the bad variable', () => {
    expect(() => kafkaSettingsFromEnv('orders', { KAFKA_TOPIC_PARTITIONS: 'many' })).toThrow(
      /KAFKA_TOPIC_PARTITIONS/,
    );
    expect(() => kafkaSettingsFromEnv('orders', { KAFKA_SASL_MECHANISM: 'kerberos' })).toThrow(
      /KAFKA_SASL_MECHANISM/,
    );
    expect(() => kafkaSettingsFromEnv('orders', { KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
      /KAFKA_SASL_USERNAME/,
    );
  });
});
