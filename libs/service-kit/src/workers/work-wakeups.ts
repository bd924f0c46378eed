import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { type EntityManager } from 'typeorm';

import { backoffDelay } from '@keyflow/resilience';

import { type ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../messaging/messaging.module';

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
 * from an operator's request. One connection per process LISTENs on every channel a worker subscribed to;
 * a lost connection is made again with backoff and then wakes every subscriber (a notify may have been
 * missed meanwhile), so the workers' own polls are only a slow safety net.
 */
@Injectable()
export class WorkWakeups implements OnApplicationShutdown {
  private readonly logger = new Logger('WorkWakeups');
  private readonly subscribers = new Map<string, Set<WakeCallback>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private stopped = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: Pick<ServiceConfig, 'databaseUrl' | 'service'>,
  ) {}

  /** Calls `wake` whenever work on `channel` commits; resolves once the LISTEN is in place (or retrying). */
  async subscribe(channel: string, wake: WakeCallback): Promise<void> {
    const known = this.subscribers.get(channel);
    if (known) {
      known.add(wake);
      return;
    }
    this.subscribers.set(channel, new Set([wake]));
    if (this.client) await this.listen(this.client, channel).catch(() => undefined);
    else await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: `${this.config.service}-work-wakeups`,
    });
    client.on('error', (error) => this.logger.warn(`wake-up connection error: ${error.message}`));
    client.on('notification', (message) => this.wake(message.channel, message.payload));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await this.listen(client, channel);
      this.client = client;
      if (this.failures > 0) this.wakeEveryone(); // notifies sent while we were away are gone
      this.failures = 0;
    } catch (error) {
      await client.end().catch(() => undefined);
      this.retryLater(error);
    }
  }

  private listen(client: Client, channel: string): Promise<unknown> {
    return client.query(`LISTEN "${channel}"`);
  }

  private lost(client: Client): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.retryLater(new Error('connection ended'));
  }

  private retryLater(error: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    const delay = backoffDelay(this.failures, { baseMs: 200, maxMs: 5000 });
    this.logger.warn(`wake-ups not listening (${(error as Error).message}); again in ${delay} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private wake(channel: string, payload?: string): void {
    this.subscribers.get(channel)?.forEach((wake) => wake(payload));
  }

  private wakeEveryone(): void {
    for (const channel of this.subscribers.keys()) this.wake(channel);
  }
}
