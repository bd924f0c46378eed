import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { captureTraceContext, type TraceCarrier } from '@keyflow/messaging';
import { notifyWork, returnedRows, workChannel } from '@keyflow/service-kit';

import { type Purpose, type Recipient } from '../domain/channels';
import { type BuyerFacts } from './order-facts.repository';

export type NotificationStatus = 'awaiting-facts' | 'pending' | 'sending' | 'sent' | 'failed';

export interface NewNotification {
  orderId?: string;
  subject: string;
  recipient: Recipient;
  purpose: Purpose;
  dedupeKey: string;
  channels: readonly string[];
  status: 'awaiting-facts' | 'pending';
  /** The time of the event this notification reports: lateness is measured from it. */
  eventTime: string;
  /** What the templates need; card keys only as the sealed boxes delivery sent. */
  content: Record<string, unknown>;
}

/** A job claimed for one send attempt (the lease is running). */
export interface ClaimedNotification {
  notificationId: string;
  orderId: string | null;
  subject: string;
  recipient: Recipient;
  purpose: Purpose;
  channels: string[];
  channelIndex: number;
  channelAttempts: number;
  /** This attempt's number across all channels. */
  attempt: number;
  eventTime: string;
  content: Record<string, unknown>;
  facts?: BuyerFacts;
  /** The previous attempt's process stopped mid-send: this one repeats it under the same message id. */
  inDoubt: boolean;
  /** The trace of the event that planned it (the order's trace); the send continues it. */
  traceContext: TraceCarrier;
}

interface ClaimedRow {
  notification_id: string;
  order_id: string | null;
  subject: string;
  recipient: Recipient;
  purpose: Purpose;
  channels: string[];
  channel_index: number;
  channel_attempts: number;
  attempts: number;
  event_time: Date;
  content: Record<string, unknown>;
  previous: NotificationStatus;
  trace_context: TraceCarrier | null;
}

interface FactsRow {
  order_id: string;
  email: string;
  sku: string;
  quantity: number;
  amount_minor: string;
  currency: string;
  placed_at: Date;
}

/** Where notifications that became due are announced: every replica's sender listens. */
export const NOTIFICATIONS_CHANNEL = workChannel('notification', 'sends');

/** The durable notification jobs and their attempts. Every method runs on the caller's transaction. */
@Injectable()
export class NotificationRepository {
  /**
   * False when this (subject, recipient, purpose, dedupe key) exists: it was planned before, once is enough.
   * The active trace context (the planning event's) is kept with it.
   */
  async insert(manager: EntityManager, n: NewNotification): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO notification.notifications (notification_id, order_id, subject, recipient, purpose, dedupe_key,
         channels, status, event_time, content, trace_context)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ON CONSTRAINT notifications_once DO NOTHING RETURNING notification_id`,
      [
        randomUUID(),
        n.orderId ?? null,
        n.subject,
        n.recipient,
        n.purpose,
        n.dedupeKey,
        n.channels,
        n.status,
        n.eventTime,
        JSON.stringify(n.content),
        JSON.stringify(captureTraceContext()),
      ],
    );
    if (rows.length === 1 && n.status === 'pending') await notifyWork(manager, NOTIFICATIONS_CHANNEL);
    return rows.length === 1;
  }

  /** The order's facts arrived: its waiting notifications become due now. */
  async releaseAwaitingFacts(manager: EntityManager, orderId: string): Promise<number> {
    const released = returnedRows(
      await manager.query(
        `UPDATE notification.notifications SET status = 'pending', next_attempt_at = clock_timestamp()
         WHERE order_id = $1 AND status = 'awaiting-facts' RETURNING notification_id`,
        [orderId],
      ),
    ).length;
    if (released > 0) await notifyWork(manager, NOTIFICATIONS_CHANNEL);
    return released;
  }

  /** How long until the next pending send (or a lease of a send in flight) falls due; undefined if none. */
  async nextDueInMs(manager: EntityManager): Promise<number | undefined> {
    const [row]: Array<{ ms: number | null }> = await manager.query(
      `SELECT (EXTRACT(EPOCH FROM min(next_attempt_at) - clock_timestamp()) * 1000)::float8 AS ms
       FROM notification.notifications WHERE status IN ('pending', 'sending')`,
    );
    return row?.ms ?? undefined;
  }

  async goodsSent(manager: EntityManager, orderId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM notification.notifications
       WHERE order_id = $1 AND recipient = 'buyer' AND purpose = 'goods' AND status = 'sent'`,
      [orderId],
    );
    return rows.length > 0;
  }

  /**
   * Claims due jobs (SKIP LOCKED: instances share the work) and records the attempt before anything is
   * sent. A job still `sending` after its lease belonged to a process that died mid-send: its open
   * attempt is marked in-doubt and the job is claimed again.
   */
  async claimDue(
    manager: EntityManager,
    batch: number,
    leaseSeconds: number,
  ): Promise<ClaimedNotification[]> {
    const rows = returnedRows<ClaimedRow>(
      await manager.query(
        `WITH due AS (
           SELECT notification_id, status AS previous FROM notification.notifications
           WHERE status IN ('pending', 'sending') AND next_attempt_at <= clock_timestamp()
           ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
         UPDATE notification.notifications n
            SET status = 'sending', attempts = n.attempts + 1, channel_attempts = n.channel_attempts + 1,
                next_attempt_at = clock_timestamp() + make_interval(secs => $2)
           FROM due WHERE n.notification_id = due.notification_id
         RETURNING n.notification_id, n.order_id, n.subject, n.recipient, n.purpose, n.channels, n.channel_index,
                   n.channel_attempts, n.attempts, n.event_time, n.content, n.trace_context, due.previous`,
        [batch, leaseSeconds],
      ),
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.notification_id);
    await manager.query(
      `UPDATE notification.attempts SET outcome = 'in-doubt', finished_at = clock_timestamp(),
         error = 'the sending process stopped before recording the outcome'
       WHERE notification_id = ANY($1) AND outcome = 'sending'`,
      [ids],
    );
    await manager.query(
      `INSERT INTO notification.attempts (notification_id, attempt, channel, outcome)
       SELECT id, attempt, channel, 'sending' FROM unnest($1::uuid[], $2::int[], $3::text[]) AS a(id, attempt, channel)`,
      [ids, rows.map((r) => r.attempts), rows.map((r) => r.channels[r.channel_index])],
    );
    const facts = await this.factsFor(
      manager,
      rows.flatMap((r) => (r.order_id ? [r.order_id] : [])),
    );
    return rows.map((r) => ({
      notificationId: r.notification_id,
      orderId: r.order_id,
      subject: r.subject,
      recipient: r.recipient,
      purpose: r.purpose,
      channels: r.channels,
      channelIndex: r.channel_index,
      channelAttempts: r.channel_attempts,
      attempt: r.attempts,
      eventTime: new Date(r.event_time).toISOString(),
      content: r.content,
      ...(r.order_id && facts.has(r.order_id) ? { facts: facts.get(r.order_id)! } : {}),
      inDoubt: r.previous === 'sending',
      traceContext: r.trace_context ?? {},
    }));
  }

  /** Locks the job for recording an outcome; false when its lease ran out and another attempt took over. */
  async lockOwnAttempt(manager: EntityManager, id: string, attempt: number): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM notification.notifications
       WHERE notification_id = $1 AND status = 'sending' AND attempts = $2 FOR UPDATE`,
      [id, attempt],
    );
    return rows.length === 1;
  }

  async markSent(
    manager: EntityManager,
    id: string,
    attempt: number,
    channel: string,
    late: boolean,
  ): Promise<void> {
    await manager.query(
      `UPDATE notification.notifications SET status = 'sent', sent_channel = $2, sent_at = clock_timestamp(),
         late = $3, last_error = NULL WHERE notification_id = $1`,
      [id, channel, late],
    );
    await this.finishAttempt(manager, id, attempt, 'sent', null);
  }

  /** Schedules the next try: the same channel after `delayMs`, or the next channel at once. */
  async reschedule(
    manager: EntityManager,
    id: string,
    attempt: number,
    next: { channelIndex: number; delayMs: number; sameChannel: boolean },
    error: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE notification.notifications
          SET status = 'pending', channel_index = $2,
              channel_attempts = CASE WHEN $3 THEN channel_attempts ELSE 0 END,
              next_attempt_at = clock_timestamp() + make_interval(secs => $4::double precision / 1000),
              last_error = $5
        WHERE notification_id = $1`,
      [id, next.channelIndex, next.sameChannel, next.delayMs, error],
    );
    await this.finishAttempt(manager, id, attempt, 'failed', error);
  }

  async markFailed(manager: EntityManager, id: string, attempt: number, error: string): Promise<void> {
    await manager.query(
      `UPDATE notification.notifications SET status = 'failed', last_error = $2 WHERE notification_id = $1`,
      [id, error],
    );
    await this.finishAttempt(manager, id, attempt, 'failed', error);
  }

  private async finishAttempt(
    manager: EntityManager,
    id: string,
    attempt: number,
    outcome: 'sent' | 'failed',
    error: string | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE notification.attempts SET outcome = $3, error = $4, finished_at = clock_timestamp()
       WHERE notification_id = $1 AND attempt = $2`,
      [id, attempt, outcome, error],
    );
  }

  private async factsFor(manager: EntityManager, orderIds: string[]): Promise<Map<string, BuyerFacts>> {
    if (orderIds.length === 0) return new Map();
    const rows: FactsRow[] = await manager.query(
      `SELECT order_id, email, sku, quantity, amount_minor, currency, placed_at
       FROM notification.order_facts WHERE order_id = ANY($1)`,
      [orderIds],
    );
    return new Map(
      rows.map((r) => [
        r.order_id,
        {
          orderId: r.order_id,
          email: r.email,
          sku: r.sku,
          quantity: r.quantity,
          total: { amountMinor: Number(r.amount_minor), currency: r.currency.trim() },
          placedAt: new Date(r.placed_at).toISOString(),
        },
      ]),
    );
  }
}
