import { BaseRpcContext } from '@nestjs/microservices';
import { type EntityManager } from 'typeorm';

import { type EventEnvelope } from '@keyflow/contracts';

export interface KafkaEventMeta {
  /** The transaction the handler's effects must use: it also holds the inbox record and new events. */
  manager: EntityManager;
  envelope: EventEnvelope<object>;
  topic: string;
  partition: number;
  offset: string;
  consumerGroup: string;
  attempt: number;
  /** Run once the handler's transaction has committed (e.g. wake the worker that picks up what it wrote). */
  afterCommit?: Array<() => void>;
}

/** What a handler gets with `@Ctx()`: the transaction to write in and where the event came from. */
export class KafkaEventContext extends BaseRpcContext<[KafkaEventMeta]> {
  constructor(meta: KafkaEventMeta) {
    super([meta]);
  }

  get manager(): EntityManager {
    return this.args[0].manager;
  }

  get envelope(): EventEnvelope<object> {
    return this.args[0].envelope;
  }

  get meta(): KafkaEventMeta {
    return this.args[0];
  }

  /**
   * Calls `fn` after this event's transaction commits, never before (a worker woken earlier would find
   * nothing committed yet) and never on rollback. For prompt work only: correctness must not depend on it.
   */
  afterCommit(fn: () => void): void {
    (this.args[0].afterCommit ??= []).push(fn);
  }
}
