import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

import { type TopicName } from './topics';

/** One event type on the wire: its versioned name, the topic it travels on and its payload schema. */
export interface EventDefinition<TData extends object = object> {
  readonly type: string;
  readonly topic: TopicName;
  readonly payload: ClassConstructor<TData>;
  readonly description: string;
  /** What the CloudEvents subject and the Kafka key are: the order id unless said otherwise. */
  readonly subject?: 'order id' | 'SKU' | 'alert key';
}

export function defineEvent<TData extends object>(
  definition: EventDefinition<TData>,
): EventDefinition<TData> {
  return Object.freeze(definition);
}

/**
 * Reads an older wire version into the current one, so handlers see one shape. Declared beside the
 * newer version when a breaking change forces `.v2`; the old type stays readable for as long as old
 * events may still be on the topic.
 */
export interface Upcaster {
  readonly from: string;
  readonly to: string;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

export type PayloadValidation<TData> = { ok: true; value: TData } | { ok: false; errors: string[] };

/** Flattens class-validator errors into `path: constraint message` lines for logs and DLQ reasons. */
export function describeValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...describeValidationErrors(error.children ?? [], path)];
  });
}

/**
 * Validates a plain object against a contract class. Unknown extra properties are allowed (producers may
 * add fields within a version); the returned value is an instance of the class with nested types applied.
 */
export function validateAgainst<TData extends object>(
  payload: ClassConstructor<TData>,
  plain: unknown,
): PayloadValidation<TData> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, errors: ['payload must be a JSON object'] };
  }
  const value = plainToInstance(payload, plain, { enableImplicitConversion: false });
  const errors = validateSync(value, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors: describeValidationErrors(errors) };
}

export class EventCatalog {
  private readonly byType = new Map<string, EventDefinition>();
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(definitions: readonly EventDefinition[], upcasters: readonly Upcaster[] = []) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) {
        throw new Error(`event type ${definition.type} is declared twice`);
      }
      this.byType.set(definition.type, definition);
    }
    for (const upcaster of upcasters) this.upcasters.set(upcaster.from, upcaster);
  }

  definitions(): EventDefinition[] {
    return [...this.byType.values()];
  }

  find(type: string): EventDefinition | undefined {
    return this.byType.get(type);
  }

  get(type: string): EventDefinition {
    const definition = this.byType.get(type);
    if (!definition) throw new Error(`unknown event type ${type}`);
    return definition;
  }

  topicOf(type: string): TopicName {
    return this.get(type).topic;
  }

  /** Applies upcasters until the type is one the catalog declares (or no upcaster applies). */
  upcast(type: string, data: Record<string, unknown>): { type: string; data: Record<string, unknown> } {
    let current = { type, data };
    for (let hops = 0; hops < 10; hops++) {
      const upcaster = this.upcasters.get(current.type);
      if (!upcaster) return current;
      current = { type: upcaster.to, data: upcaster.upcast(current.data) };
    }
    throw new Error(`upcaster chain from ${type} does not end`);
  }

  /** Validates `data` as the payload of `type` (after upcasting). */
  validate(type: string, data: unknown): PayloadValidation<object> & { type: string } {
    const plain = (data ?? {}) as Record<string, unknown>;
    const upcast = this.upcast(type, plain);
    const definition = this.byType.get(upcast.type);
    if (!definition) return { ok: false, errors: [`unknown event type ${type}`], type: upcast.type };
    return { ...validateAgainst(definition.payload, upcast.data), type: upcast.type };
  }
}
