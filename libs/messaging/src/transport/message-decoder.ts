import { EventEnvelopeDto, type EventCatalog, type EventEnvelope, validateAgainst } from '@keyflow/contracts';

export type DecodedMessage =
  | { kind: 'invalid'; reason: string }
  | { kind: 'unhandled'; type: string }
  | { kind: 'ok'; envelope: EventEnvelope<object> };

/**
 * Turns a Kafka record's value into a validated envelope with a typed payload, or says exactly why not.
 * Pure: no I/O, so every rejection rule is unit-tested.
 * - the envelope must be valid CloudEvents JSON;
 * - types this consumer has no handler for are skipped (another service's business), after upcasting;
 * - the payload must satisfy the contract class of its type.
 */
export function decodeMessage(
  value: Buffer | null,
  catalog: EventCatalog,
  handles: (type: string) => boolean,
): DecodedMessage {
  if (!value || value.length === 0) return { kind: 'invalid', reason: 'empty message value' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    return { kind: 'invalid', reason: `value is not JSON: ${(error as Error).message}` };
  }
  const envelope = validateAgainst(EventEnvelopeDto, parsed);
  if (!envelope.ok) return { kind: 'invalid', reason: `invalid envelope: ${envelope.errors.join('; ')}` };

  const raw = parsed as EventEnvelope<Record<string, unknown>>;
  const upcast = catalog.upcast(raw.type, raw.data);
  if (!handles(upcast.type)) return { kind: 'unhandled', type: raw.type };

  const payload = catalog.validate(upcast.type, upcast.data);
  if (!payload.ok)
    return { kind: 'invalid', reason: `invalid ${upcast.type} payload: ${payload.errors.join('; ')}` };
  return { kind: 'ok', envelope: { ...raw, type: payload.type, data: payload.value } };
}
