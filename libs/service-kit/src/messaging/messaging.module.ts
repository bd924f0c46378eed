import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { pipelineCatalog, type TopicName } from '@keyflow/contracts';
import {
  createKafkaClient,
  ensureTopics,
  EventStore,
  KafkaProducer,
  NotificationListener,
  OutboxRelay,
} from '@keyflow/messaging';

import { type ServiceConfig } from '../config/service-config';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
const PUBLISHED_TOPICS = Symbol('PUBLISHED_TOPICS');

/**
 * The process's one LISTEN connection, shared by the outbox relay and the workers' wake-ups: every NOTIFY
 * in the database costs each listening backend a commit, so one listener per process instead of one per
 * relay and one per worker set.
 */
@Injectable()
export class ProcessListener extends NotificationListener implements OnApplicationShutdown {
  constructor(@Inject(SERVICE_CONFIG) config: Pick<ServiceConfig, 'databaseUrl' | 'service'>) {
    super({ connectionString: config.databaseUrl, application_name: `${config.service}-listener` });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/**
 * Starts the outbox relay once the app is up (after creating the topics this service publishes to) and
 * stops it on shutdown: the batch in flight finishes, what is left stays in the outbox for next time.
 */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly producer: KafkaProducer;
  readonly relay: OutboxRelay;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(PUBLISHED_TOPICS) private readonly topics: TopicName[],
    listener: ProcessListener,
  ) {
    const kafka = createKafkaClient(config.kafka);
    this.producer = new KafkaProducer(kafka);
    this.relay = new OutboxRelay({
      schema: config.schema,
      database: { connectionString: config.databaseUrl, application_name: `${config.service}-outbox-relay` },
      producer: this.producer,
      listener,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { kafka } = this.config;
    await ensureTopics(
      createKafkaClient(kafka),
      this.topics.map((topic) => ({
        topic,
        numPartitions: kafka.topicPartitions,
        replicationFactor: kafka.replicationFactor,
      })),
    );
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** The event store (which is also the outbox) and its relay, for one service. */
@Module({})
export class MessagingModule {
  static forService(config: ServiceConfig, publishes: TopicName[]): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: PUBLISHED_TOPICS, useValue: publishes },
        { provide: EventStore, useValue: new EventStore(config.schema, config.service, pipelineCatalog) },
        ProcessListener,
        OutboxRelayLifecycle,
      ],
      exports: [SERVICE_CONFIG, EventStore, ProcessListener, OutboxRelayLifecycle],
    };
  }
}
