import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** One notification as operators see it: where it went, how often it was tried, never its content. */
export interface NotificationView {
  notificationId: string;
  recipient: string;
  purpose: string;
  status: string;
  channels: string[];
  currentChannel: string;
  sentChannel: string | null;
  attempts: number;
  late: boolean | null;
  eventTime: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  attemptLog: Array<{
    attempt: number;
    channel: string;
    outcome: string;
    error: string | null;
    startedAt: string;
    finishedAt: string | null;
  }>;
}

interface ViewRow {
  notification_id: string;
  recipient: string;
  purpose: string;
  status: string;
  channels: string[];
  channel_index: number;
  sent_channel: string | null;
  attempts: number;
  late: boolean | null;
  event_time: Date;
  sent_at: Date | null;
  next_attempt_at: Date;
  last_error: string | null;
  attempt_log: NotificationView['attemptLog'];
}

/** The read side of GET /v1/notifications/:orderId. Selects named columns only: `content` never leaves. */
@Injectable()
export class NotificationQuery {
  async forOrder(manager: EntityManager, orderId: string): Promise<NotificationView[]> {
    const rows: ViewRow[] = await manager.query(
      `SELECT n.notification_id, n.recipient, n.purpose, n.status, n.channels, n.channel_index, n.sent_channel,
              n.attempts, n.late, n.event_time, n.sent_at, n.next_attempt_at, n.last_error,
              coalesce(json_agg(json_build_object('attempt', a.attempt, 'channel', a.channel, 'outcome', a.outcome,
                'error', a.error, 'startedAt', a.started_at, 'finishedAt', a.finished_at) ORDER BY a.attempt)
                FILTER (WHERE a.attempt IS NOT NULL), '[]') AS attempt_log
       FROM notification.notifications n LEFT JOIN notification.attempts a USING (notification_id)
       WHERE n.order_id = $1 GROUP BY n.notification_id ORDER BY n.created_at`,
      [orderId],
    );
    const iso = (v: Date | null) => (v ? new Date(v).toISOString() : null);
    return rows.map((r) => ({
      notificationId: r.notification_id,
      recipient: r.recipient,
      purpose: r.purpose,
      status: r.status,
      channels: r.channels,
      currentChannel: r.channels[r.channel_index] ?? r.channels[0]!,
      sentChannel: r.sent_channel,
      attempts: r.attempts,
      late: r.late,
      eventTime: iso(r.event_time)!,
      sentAt: iso(r.sent_at),
      nextAttemptAt: ['pending', 'sending'].includes(r.status) ? iso(r.next_attempt_at) : null,
      lastError: r.last_error,
      attemptLog: r.attempt_log,
    }));
  }
}
