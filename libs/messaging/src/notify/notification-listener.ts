import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';

import { backoffDelay } from '@keyflow/resilience';

/** Called on a NOTIFY (with its payload), or without one when notifies may have been missed. */
export type NotificationCallback = (payload?: string) => void;

/** Postgres channel names as this codebase makes them (unquoted identifiers, at most 63 bytes). */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One LISTEN connection per process, shared by everything in it that waits for a NOTIFY (the outbox relay,
 * the workers). It matters for more than connections: every NOTIFY, on whatever channel, costs each
 * backend LISTENing in the database a transaction of its own (it reads the notification queue), so each
 * extra listening connection adds a commit to every transaction that notifies.
 *
 * A lost connection is made again with backoff and LISTENs again on every channel; then every subscriber
 * is called without a payload, since notifies sent meanwhile are gone. Subscribers therefore never miss
 * work for longer than the reconnect, and their own polls are only a slow safety net.
 */
export class NotificationListener {
  private readonly logger = new Logger('NotificationListener');
  private readonly subscribers = new Map<string, Set<NotificationCallback>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private closed = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly database: ClientConfig) {}

  /** Whether the LISTEN connection is up (for tests and diagnostics). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /**
   * Calls `callback` whenever a notify on `channel` commits. Resolves once the LISTEN is in place — or,
   * when the database cannot be reached, once a retry is scheduled (the reconnect then calls `callback`).
   * Returns the function that ends this subscription (UNLISTEN when it was the channel's last one).
   */
  async subscribe(channel: string, callback: NotificationCallback): Promise<() => Promise<void>> {
    if (!CHANNEL.test(channel)) throw new Error(`invalid notification channel "${channel}"`);
    const unsubscribe = () => this.unsubscribe(channel, callback);
    if (this.closed) return unsubscribe;
    const known = this.subscribers.get(channel);
    if (known) {
      known.add(callback);
      return unsubscribe;
    }
    this.subscribers.set(channel, new Set([callback]));
    if (this.client) await this.query(this.client, `LISTEN "${channel}"`);
    else await this.connect();
    return unsubscribe;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async unsubscribe(channel: string, callback: NotificationCallback): Promise<void> {
    const known = this.subscribers.get(channel);
    if (!known?.delete(callback) || known.size > 0) return;
    this.subscribers.delete(channel);
    if (this.client && !this.closed) await this.query(this.client, `UNLISTEN "${channel}"`);
  }

  /** A failed LISTEN/UNLISTEN means the connection is going: its `end` reconnects and re-LISTENs. */
  private query(client: Client, sql: string): Promise<unknown> {
    return client.query(sql).catch((error: Error) => this.logger.warn(`${sql} failed: ${error.message}`));
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    const client = new Client(this.database);
    client.on('error', (error) => this.logger.warn(`listen connection error: ${error.message}`));
    client.on('notification', (message) => this.notify(message.channel, message.payload));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const channel of this.subscribers.keys()) await client.query(`LISTEN "${channel}"`);
      if (this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      if (this.failures > 0) this.notifyEveryone(); // notifies sent while we were away are gone
      this.failures = 0;
    } catch (error) {
      await client.end().catch(() => undefined);
      this.retryLater(error);
    }
  }

  private lost(client: Client): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.retryLater(new Error('connection ended'));
  }

  private retryLater(error: unknown): void {
    if (this.closed) return;
    this.failures += 1;
    const delay = backoffDelay(this.failures, { baseMs: 200, maxMs: 5000 });
    this.logger.warn(`not listening (${(error as Error).message}); again in ${delay} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private notify(channel: string, payload?: string): void {
    // A copy: a callback may unsubscribe while we iterate.
    for (const callback of [...(this.subscribers.get(channel) ?? [])]) callback(payload);
  }

  private notifyEveryone(): void {
    for (const channel of [...this.subscribers.keys()]) this.notify(channel);
  }
}
