import { randomUUID } from 'node:crypto';

import { type EntityManager } from 'typeorm';

import { type EventCatalog } from '@keyflow/contracts';

import { causingEvent } from '../message-context';
import { captureTraceContext, type TraceCarrier } from '../tracing/trace-carrier';
import { ContractViolationError, WrongExpectedVersionError } from './event-store.errors';
import { assertSchemaName } from './schema-name';

export interface NewEvent<TData = Record<string, unknown>> {
  type: string;
  data: TData;
  /** Kafka topic to publish on; omit for events that stay inside the service. */
  topic?: string;
  /** Defaults to the stream id (the order id for order streams). */
  subject?: string;
  /** Given when the id must be stable (e.g. derived from a provider's id); otherwise a new UUID. */
  id?: string;
  occurredAt?: string;
}

export interface EventMetadata extends TraceCarrier {
  source: string;
  correlationId: string;
  causationId?: string;
}

export interface StoredEvent<TData = Record<string, unknown>> {
  globalPosition: string;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  subject: string;
  data: TData;
  metadata: EventMetadata;
  topic: string | null;
  occurredAt: string;
}

/** `no-stream`: the stream must not exist yet; `any`: skip the check (for append-only logs). */
export type ExpectedVersion = number | 'no-stream' | 'any';

export interface AppendResult {
  nextExpectedVersion: number;
  events: StoredEvent[];
}

const UNIQUE_VIOLATION = '23505';

/**
 * One service's event store. It never opens its own transaction: `append` runs on the caller's
 * EntityManager, so the state change, the events (which are the outbox) and the inbox record commit
 * or roll back together.
 */
export class EventStore {
  private readonly table: string;

  /**
   * @param catalog when given, every event bound for a topic is validated against its contract before it
   *   is stored, so nothing that breaks a public contract can reach the outbox.
   */
  constructor(
    schema: string,
    private readonly source: string,
    private readonly catalog?: EventCatalog,
  ) {
    this.table = `"${assertSchemaName(schema)}".events`;
  }

  async append(
    manager: EntityManager,
    streamId: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    this.assertContracts(events);
    const current = await this.currentVersion(manager, streamId);
    const expected = expectedVersion === 'no-stream' ? 0 : expectedVersion;
    if (expected !== 'any' && expected !== current) {
      throw new WrongExpectedVersionError(streamId, expected, current);
    }
    const metadata = this.metadataForNewEvents();
    const stored: StoredEvent[] = [];
    let version = current;
    for (const event of events) {
      version += 1;
      const row = await this.insert(manager, streamId, version, event, metadata, expected);
      stored.push(row);
    }
    return { nextExpectedVersion: version, events: stored };
  }

  async load(manager: EntityManager, streamId: string): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toStoredEvent);
  }

  /** Reads every event after a global position, for rebuilding projections by replay. */
  async readAll(manager: EntityManager, afterPosition: string, limit: number): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [afterPosition, limit],
    );
    return rows.map(toStoredEvent);
  }

  private assertContracts(events: NewEvent[]): void {
    if (!this.catalog) return;
    for (const event of events.filter((e) => e.topic)) {
      const definition = this.catalog.find(event.type);
      if (!definition)
        throw new ContractViolationError(event.type, [`${event.type} is not declared in libs/contracts`]);
      if (definition.topic !== event.topic) {
        throw new ContractViolationError(event.type, [
          `${event.type} belongs on ${definition.topic}, not ${event.topic}`,
        ]);
      }
      const result = this.catalog.validate(event.type, event.data);
      if (!result.ok) throw new ContractViolationError(event.type, result.errors);
    }
  }

  private async currentVersion(manager: EntityManager, streamId: string): Promise<number> {
    const [row]: Array<{ version: number | null }> = await manager.query(
      `SELECT max(stream_version) AS version FROM ${this.table} WHERE stream_id = $1`,
      [streamId],
    );
    return row?.version ?? 0;
  }

  private metadataForNewEvents(): EventMetadata {
    const cause = causingEvent();
    return {
      source: this.source,
      correlationId: cause?.correlationid ?? randomUUID(),
      ...(cause ? { causationId: cause.id } : {}),
      ...captureTraceContext(),
    };
  }

  private async insert(
    manager: EntityManager,
    streamId: string,
    version: number,
    event: NewEvent,
    metadata: EventMetadata,
    expected: number | 'any',
  ): Promise<StoredEvent> {
    try {
      const [row]: EventRow[] = await manager.query(
        `INSERT INTO ${this.table}
           (event_id, stream_id, stream_version, type, subject, data, metadata, topic, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         RETURNING ${COLUMNS}`,
        [
          event.id ?? randomUUID(),
          streamId,
          version,
          event.type,
          event.subject ?? streamId,
          JSON.stringify(event.data),
          JSON.stringify(metadata),
          event.topic ?? null,
          event.occurredAt ?? new Date().toISOString(),
        ],
      );
      return toStoredEvent(row!);
    } catch (error) {
      // A concurrent writer appended the same version between our read and insert.
      if (isUniqueViolation(error, 'events_stream_version_unique')) {
        throw new WrongExpectedVersionError(streamId, expected === 'any' ? version - 1 : expected, version);
      }
      throw error;
    }
  }
}

const COLUMNS = `global_position, event_id, stream_id, stream_version, type, subject, data, metadata, topic,
  occurred_at`;

interface EventRow {
  global_position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  subject: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  topic: string | null;
  occurred_at: Date;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    globalPosition: String(row.global_position),
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    subject: row.subject,
    data: row.data,
    metadata: row.metadata,
    topic: row.topic,
    occurredAt: new Date(row.occurred_at).toISOString(),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint: name } = driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && name === constraint;
}
