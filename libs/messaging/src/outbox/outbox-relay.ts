import { Logger } from '@nestjs/common';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { Client, type ClientConfig } from 'pg';

import { outboxBacklog, outboxPublished, outboxPublishLag, SpanAttributes } from '@keyflow/observability';
import { backoffDelay, crashPoint } from '@keyflow/resilience';

import { type StoredEvent, toStoredEvent } from '../event-store/event-store';
import { assertSchemaName, outboxChannel } from '../event-store/schema-name';
import { type KafkaProducer, type OutgoingRecord } from '../kafka/kafka-producer';
import { type NotificationListener } from '../notify/notification-listener';
import { captureTraceContext, restoreTraceContext } from '../tracing/trace-carrier';
import { toOutgoingRecord } from './outbox-envelope';

export interface OutboxRelayOptions {
  schema: string;
  database: ClientConfig;
  producer: KafkaProducer;
  /** Most rows read and sent in one Kafka request under load. */
  batchSize?: number;
  /**
   * A safety net only: wake-ups come from NOTIFY, which Postgres delivers on every commit to the listening
   * connection while it lives, and a lost connection makes the relay reconnect and drain at once. So an
   * idle relay asks the database once per this interval (30 s), not every few seconds.
   */
  fallbackPollMs?: number;
  /**
   * Least time between the starts of two publishing rounds. Under a steady stream every commit NOTIFYs;
   * without this the relay would publish each commit's one or two events in a round of its own (a Kafka
   * request and a database statement each). Waiting until 20 ms after the previous round lets events
   * gather into one batch; after a quiet spell the relay publishes at once, so idle latency is unchanged.
   */
  minRoundIntervalMs?: number;
  /**
   * How long a round's published rows may wait to be marked by the next round's statement (which marks
   * them and reads what came since, in one commit). Under a steady stream the next round comes sooner, so a
   * round costs one database commit instead of two (read, then mark); when no round comes, a round of its
   * own marks them after this long (250 ms). Until marked, a crash re-sends them: harmless, like any crash
   * between send and mark (consumers' inboxes drop the copy).
   */
  markLingerMs?: number;
  /** How often a standby instance tries to become the active relay. */
  standbyRetryMs?: number;
  /**
   * The process's shared LISTEN connection. Given, the active relay hears its channel through it; without
   * it, the relay LISTENs on its own lock connection. Each listening connection costs a commit per NOTIFY
   * anywhere in the database, so services share one.
   */
  listener?: NotificationListener;
}

export type RelayState = 'starting' | 'standby' | 'active' | 'stopped';

const tracer = trace.getTracer('@keyflow/messaging');

/**
 * Publishes a service's committed, unpublished events to Kafka in global-position order, then marks them
 * published. It claims rows by their unpublished state (never "position > last seen", which would skip a
 * row whose transaction committed late). One relay per service is active at a time: it holds a
 * session-level advisory lock on its own connection; if that process dies the lock goes with the
 * connection and a standby takes over. Publishing is at-least-once (a crash between send and mark
 * re-sends); consumers' inboxes make that harmless.
 */
export class OutboxRelay {
  private readonly logger: Logger;
  private readonly table: string;
  private readonly channel: string;
  private readonly batchSize: number;
  private readonly fallbackPollMs: number;
  private readonly minRoundIntervalMs: number;
  private lastRoundAt = 0;
  private readonly markLingerMs: number;
  /** Rows sent to Kafka and not yet marked published: the next round's statement marks them. */
  private unmarked: UnpublishedRow[] = [];
  private readonly standbyRetryMs: number;
  private state: RelayState = 'stopped';
  private stopping = false;
  private loop?: Promise<void>;
  private client?: Client;
  private unlisten?: () => Promise<void>;
  private wakeRequested = false;
  private wakeUp?: () => void;
  private published = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    const schema = assertSchemaName(options.schema);
    this.table = `"${schema}".events`;
    this.channel = outboxChannel(schema);
    this.batchSize = options.batchSize ?? 500;
    this.fallbackPollMs = options.fallbackPollMs ?? 30000;
    this.minRoundIntervalMs = options.minRoundIntervalMs ?? 20;
    this.markLingerMs = options.markLingerMs ?? 250;
    this.standbyRetryMs = options.standbyRetryMs ?? 1000;
    this.logger = new Logger(`OutboxRelay:${schema}`);
  }

  get currentState(): RelayState {
    return this.state;
  }

  get publishedCount(): number {
    return this.published;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state = 'starting';
    this.loop = this.run();
  }

  /** Stops after the batch in flight; events not yet published stay in the table for the next relay. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
    this.state = 'stopped';
  }

  /** Number of events waiting to be published (for metrics and readiness). */
  async backlog(): Promise<number> {
    const client = new Client(this.options.database);
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${this.table} WHERE published_at IS NULL AND topic IS NOT NULL`,
      );
      return Number(rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.connectAndLead();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.state = 'starting';
        this.logger.warn(`relay connection failed (${describe(error)}); retrying`);
        await this.sleep(backoffDelay(failures, { baseMs: 200, maxMs: 5000 }));
      } finally {
        await this.unlisten?.().catch(() => undefined);
        this.unlisten = undefined;
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
    }
  }

  private async connectAndLead(): Promise<void> {
    const client = new Client(this.options.database);
    this.client = client;
    client.on('error', (error) => this.logger.warn(`relay connection error: ${describe(error)}`));
    client.on('notification', () => this.wake());
    client.on('end', () => this.wake());
    await client.connect();

    this.state = 'standby';
    while (!this.stopping && !(await this.tryLock(client))) {
      await this.sleep(this.standbyRetryMs);
    }
    if (this.stopping) return;
    // Listening before the first drain: a commit after that drain's read is heard.
    if (this.options.listener)
      this.unlisten = await this.options.listener.subscribe(this.channel, () => this.wake());
    else await client.query(`LISTEN "${this.channel}"`);
    this.state = 'active';
    this.logger.log('active: publishing this service’s outbox');

    while (!this.stopping) {
      await this.drain(client);
      // Rows waiting for their mark: the next round marks them, and one comes within markLingerMs.
      await this.waitForWake(this.unmarked.length > 0 ? this.markLingerMs : this.fallbackPollMs);
      await this.sleep(this.lastRoundAt + this.minRoundIntervalMs - Date.now());
    }
    if (this.unmarked.length > 0) await this.drain(client); // stopping: only marks what went out
  }

  private async tryLock(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext($1)::bigint) AS locked`,
      [`keyflow.outbox-relay.${this.table}`],
    );
    return rows[0]?.locked === true;
  }

  /**
   * Publishes batches until nothing is left. Kafka being down is waited out with backoff, holding the lock.
   * Marking the rows published before and reading the next ones is a single statement, so a round costs
   * one database commit and one Kafka request: a round that read less than a full batch leaves its rows
   * for the next round (or the linger) to mark, since nothing more was waiting when it read.
   */
  private async drain(client: Client): Promise<void> {
    this.lastRoundAt = Date.now();
    for (;;) {
      this.wakeRequested = false;
      const limit = this.stopping ? 0 : this.batchSize; // stopping: only mark what went out
      const rows = await this.markAndReadNext(client, this.unmarked, limit);
      this.unmarked = [];
      if (rows.length === 0) {
        // This read found nothing unpublished: there is no backlog to count.
        if (limit > 0) outboxBacklog.set({ schema: this.options.schema }, 0);
        return;
      }
      if (rows.length === this.batchSize) await this.refreshBacklog(client); // more waiting than one batch
      const events = rows.map(toStoredEvent);
      crashPoint('relay.before-publish');
      await this.publishWithRetry(events, client);
      this.recordPublished(rows); // counted once Kafka has them; the mark is the database's bookkeeping
      crashPoint('relay.after-publish-before-mark');
      this.unmarked = rows;
      if (rows.length < this.batchSize) return;
    }
  }

  /**
   * Marks the rows just published and reads the next unpublished ones, in one statement. A data-modifying
   * CTE always runs to completion, but the outer SELECT reads the snapshot from before it, so the rows
   * being marked are excluded by position.
   */
  private async markAndReadNext(
    client: Client,
    published: UnpublishedRow[],
    limit: number,
  ): Promise<UnpublishedRow[]> {
    const positions = published.map((row) => String(row.global_position));
    const { rows } = await client.query<UnpublishedRow>(
      `WITH marked AS (
         UPDATE ${this.table} SET published_at = clock_timestamp() WHERE global_position = ANY($1::bigint[])
       )
       SELECT global_position, event_id, stream_id, stream_version, type, subject, data, metadata, topic,
              occurred_at, recorded_at
         FROM ${this.table}
        WHERE published_at IS NULL AND topic IS NOT NULL AND global_position <> ALL($1::bigint[])
        ORDER BY global_position
        LIMIT $2`,
      [positions, limit],
    );
    return rows;
  }

  private lastBacklogAt = 0;

  private recordPublished(rows: UnpublishedRow[]): void {
    if (rows.length === 0) return;
    this.published += rows.length;
    const schema = this.options.schema;
    const now = Date.now();
    outboxPublished.inc({ schema }, rows.length);
    for (const row of rows)
      outboxPublishLag.observe({ schema }, Math.max(0, now - new Date(row.recorded_at).getTime()) / 1000);
  }

  /**
   * Refreshes the backlog gauge at most every few seconds (a count on the partial index), and only while
   * there is one: a full batch, or Kafka refusing what is waiting. An idle relay never counts.
   */
  private async refreshBacklog(client: Client): Promise<void> {
    if (Date.now() - this.lastBacklogAt < 5000) return;
    this.lastBacklogAt = Date.now();
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.table} WHERE published_at IS NULL AND topic IS NOT NULL`,
    );
    outboxBacklog.set({ schema: this.options.schema }, Number(rows[0]?.n ?? 0));
  }

  private async publishWithRetry(events: StoredEvent[], client: Client): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.producer.send(events.map((event) => this.tracedRecord(event)));
        if (attempt > 1) this.logger.log(`Kafka reachable again after ${attempt - 1} failed attempts`);
        return;
      } catch (error) {
        if (this.stopping) throw error;
        this.logger.warn(
          `publishing ${events.length} events failed (attempt ${attempt}): ${describe(error)}`,
        );
        await this.refreshBacklog(client);
        await this.sleep(backoffDelay(attempt, { baseMs: 200, maxMs: 5000 }));
      }
    }
  }

  /** A producer span per event, child of the context stored with the event, so the trace continues. */
  private tracedRecord(event: StoredEvent): OutgoingRecord {
    const parent = restoreTraceContext(event.metadata, context.active());
    const span = tracer.startSpan(
      `${event.topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'publish',
          'messaging.destination.name': event.topic ?? '',
          'messaging.kafka.message.key': event.subject,
          'messaging.message.id': event.eventId,
          [SpanAttributes.orderId]: event.subject,
          [SpanAttributes.eventType]: event.type,
        },
      },
      parent,
    );
    const record = toOutgoingRecord(event, captureTraceContext(trace.setSpan(parent, span)));
    span.end();
    return record;
  }

  private wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  private waitForWake(timeoutMs: number): Promise<void> {
    if (this.wakeRequested || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const wakeUp = () => done();
      this.wakeUp = wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type UnpublishedRow = Parameters<typeof toStoredEvent>[0] & { recorded_at: Date };
