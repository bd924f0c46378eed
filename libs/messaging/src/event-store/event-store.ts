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
  /** The quoted `schema.events` table, for a service's own reads that join its stream with other rows. */
  readonly table: string;

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
    const expected = expectedVersion === 'no-stream' ? 0 : expectedVersion;
    const metadata = this.metadataForNewEvents();
    // One round trip: the version check and every row in a single statement. The check reads the stream's
    // current version in the statement's snapshot; a writer that commits in between is still caught by
    // the unique (stream_id, stream_version) constraint.
    let rows: EventRow[];
    try {
      rows = await manager.query(
        `WITH current AS (
           SELECT coalesce(max(stream_version), 0) AS version FROM ${this.table} WHERE stream_id = $1
         )
         INSERT INTO ${this.table}
           (event_id, stream_id, stream_version, type, subject, data, metadata, topic, occurred_at)
         SELECT e.event_id, $1, current.version + e.n, e.type, e.subject, e.data::jsonb, $2::jsonb, e.topic,
                e.occurred_at
           FROM current,
                unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
                  WITH ORDINALITY AS e(event_id, type, subject, data, topic, occurred_at, n)
          WHERE $9::int IS NULL OR current.version = $9::int
          ORDER BY e.n
         RETURNING ${STORED_EVENT_COLUMNS}`,
        [
          streamId,
          JSON.stringify(metadata),
          events.map((e) => e.id ?? randomUUID()),
          events.map((e) => e.type),
          events.map((e) => e.subject ?? streamId),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => e.topic ?? null),
          events.map((e) => e.occurredAt ?? new Date().toISOString()),
          expected === 'any' ? null : expected,
        ],
      );
    } catch (error) {
      // A concurrent writer appended the same version between our read and insert.
      if (isUniqueViolation(error, 'events_stream_version_unique')) {
        // The transaction is aborted now, so the version that was taken comes from the error's detail.
        const taken = takenVersion(error) ?? (expected === 'any' ? 1 : expected + 1);
        throw new WrongExpectedVersionError(streamId, expected === 'any' ? taken - 1 : expected, taken);
      }
      throw error;
    }
    if (rows.length === 0) {
      throw new WrongExpectedVersionError(
        streamId,
        expected as number,
        await this.currentVersion(manager, streamId),
      );
    }
    const stored = rows.map(toStoredEvent).sort((a, b) => a.streamVersion - b.streamVersion);
    return { nextExpectedVersion: stored[stored.length - 1]!.streamVersion, events: stored };
  }

  async load(manager: EntityManager, streamId: string): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    return rows.map(toStoredEvent);
  }

  /** Reads every event after a global position, for rebuilding projections by replay. */
  async readAll(manager: EntityManager, afterPosition: string, limit: number): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${STORED_EVENT_COLUMNS} FROM ${this.table} WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
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
}

/** The columns `toStoredEvent` reads, for services that query their own events table. */
export const STORED_EVENT_COLUMNS = `global_position, event_id, stream_id, stream_version, type, subject, data, metadata, topic,
  occurred_at`;

export interface EventRow {
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

/** The stream version named in a unique violation's detail: `Key (stream_id, stream_version)=(s, 7) already exists.` */
function takenVersion(error: unknown): number | undefined {
  const driverError = (error as { driverError?: { detail?: string } }).driverError ?? error;
  const match = /, (\d+)\) already exists/.exec((driverError as { detail?: string }).detail ?? '');
  return match ? Number(match[1]) : undefined;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError =
    (error as { driverError?: { code?: string; constraint?: string } }).driverError ?? error;
  const { code, constraint: name } = driverError as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && name === constraint;
}
