import { AsyncLocalStorage } from 'node:async_hooks';

import { type EventEnvelope } from '@keyflow/contracts';

/**
 * The event being handled right now, if any. Events appended while handling it inherit its correlation id
 * and name it as their cause, without every handler threading those ids through by hand.
 */
const currentMessage = new AsyncLocalStorage<EventEnvelope>();

export function runWithCausingEvent<T>(envelope: EventEnvelope, work: () => T): T {
  return currentMessage.run(envelope, work);
}

export function causingEvent(): EventEnvelope | undefined {
  return currentMessage.getStore();
}
