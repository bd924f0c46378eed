import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { ProcessListener } from '../messaging/messaging.module';

/** The channel a worker's new work is announced on, e.g. `delivery_work_jobs`. */
export function workChannel(schema: string, work: string): string {
  const channel = `${schema}_work_${work}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid work channel "${channel}"`);
  return channel;
}

/**
 * Announces new work on the caller's transaction. Postgres delivers a NOTIFY only when (and if) the
 * transaction commits, so a worker woken by it always finds the work visible; several notifies of one
 * transaction on one channel with the same payload arrive as one. The payload (e.g. which SKU changed)
 * reaches subscribers as a hint only: a lost connection wakes them without one.
 */
export async function notifyWork(manager: EntityManager, channel: string, payload = ''): Promise<void> {
  await manager.query(`SELECT pg_notify($1, $2)`, [channel, payload]);
}

/** Called when work is announced: with the notify's payload, or without one when any work may have been missed. */
export type WakeCallback = (payload?: string) => void;

/**
 * Wakes a service's workers when work they do commits anywhere: in this process, in another replica, or
 * from an operator's request. The LISTEN is on the process's one shared connection ({@link ProcessListener},
 * which the outbox relay uses too); a lost connection is made again with backoff and then wakes every
 * subscriber (a notify may have been missed meanwhile), so the workers' own polls are only a slow safety net.
 */
@Injectable()
export class WorkWakeups {
  constructor(private readonly listener: ProcessListener) {}

  /** Calls `wake` whenever work on `channel` commits; resolves once the LISTEN is in place (or retrying). */
  async subscribe(channel: string, wake: WakeCallback): Promise<void> {
    await this.listener.subscribe(channel, wake);
  }
}
