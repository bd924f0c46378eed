import { type KafkaMessage } from 'kafkajs';
import { type EntityManager } from 'typeorm';

import { type EventEnvelope } from '@keyflow/contracts';

import { recordInInbox } from '../inbox/inbox';
import { runWithCausingEvent } from '../message-context';
import { KafkaEventContext } from './kafka-event-context';
import { type DecodedMessage } from './message-decoder';

export type EventHandlerFn = (envelope: EventEnvelope<object>, ctx: KafkaEventContext) => Promise<unknown>;

/** A fetched message with what decoding made of it. */
export interface ConsumedMessage {
  partition: number;
  message: KafkaMessage;
  decoded: DecodedMessage;
}

export type Outcome = 'handled' | 'duplicate';

export interface InboxHandlingOptions {
  topic: string;
  groupId: string;
  schema: string;
  handlers: ReadonlyMap<string, EventHandlerFn>;
}

/**
 * The work of one message on a transaction's manager: the inbox row (a duplicate does nothing more),
 * then the handler, whose effects and appended events use the same manager. Events it appends name
 * this one as their cause. Committing is the caller's business (alone, or with a whole batch).
 */
export async function recordAndHandle(
  options: InboxHandlingOptions,
  manager: EntityManager,
  consumed: ConsumedMessage,
  envelope: EventEnvelope<object>,
  attempt: number,
  afterCommit: Array<() => void>,
): Promise<Outcome> {
  const { schema, groupId, topic, handlers } = options;
  const fresh = await recordInInbox(manager, schema, groupId, envelope.id, envelope.type);
  if (!fresh) return 'duplicate';
  const ctx = new KafkaEventContext({
    manager,
    envelope,
    topic,
    partition: consumed.partition,
    offset: consumed.message.offset,
    consumerGroup: groupId,
    attempt,
    afterCommit,
  });
  const handler = handlers.get(envelope.type)!;
  await runWithCausingEvent(envelope, () => handler(envelope, ctx));
  return 'handled';
}

/** Runs hooks a handler asked for once its transaction committed; a failing hook is only logged. */
export function runAfterCommitHooks(hooks: Array<() => void>, warn: (message: string) => void): void {
  for (const fn of hooks) {
    try {
      fn();
    } catch (error) {
      warn(`after-commit hook failed: ${(error as Error).message}`);
    }
  }
}
