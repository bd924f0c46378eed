import {
  Equals,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

/** Wire names look like `order.placed.v1`: lower-case words, dot-separated, ending in the version. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+\.v[1-9][0-9]*$/;

/**
 * The integration-event envelope, in CloudEvents 1.0 terms (structured JSON mode). `subject` is the
 * order id (or the SKU for stock-level events) and is also the Kafka message key, so every event of one
 * order lands on one partition in order. `correlationid` ties all events of one order flow together;
 * `causationid` names the event that caused this one.
 */
export interface EventEnvelope<TData = unknown> {
  specversion: '1.0';
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  correlationid: string;
  causationid?: string;
  data: TData;
}

/** Validation rules for an envelope read off the wire; the payload is validated by its own class. */
export class EventEnvelopeDto implements EventEnvelope<Record<string, unknown>> {
  @Equals('1.0')
  specversion!: '1.0';

  @IsUUID()
  id!: string;

  @Matches(EVENT_TYPE_PATTERN, { message: 'type must be a versioned wire name such as order.placed.v1' })
  type!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @IsISO8601({ strict: true })
  time!: string;

  @Equals('application/json')
  datacontenttype!: 'application/json';

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlationid!: string;

  @IsOptional()
  @IsUUID()
  causationid?: string;

  @IsObject()
  data!: Record<string, unknown>;
}
