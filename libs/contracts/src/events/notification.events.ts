import { IsBoolean, IsInt, IsISO8601, IsString, IsUUID, MaxLength, Min } from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';

class NotificationFact {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  notificationId!: string;

  @IsString()
  @MaxLength(40)
  channel!: string;

  /** What the notification was for, e.g. `goods`, `status-update`, `escalation`. */
  @IsString()
  @MaxLength(40)
  purpose!: string;

  @IsInt()
  @Min(1)
  attempts!: number;
}

export class NotificationSentV1 extends NotificationFact {
  @IsISO8601({ strict: true })
  sentAt!: string;

  /** True when the notification went out later than the lateness threshold and said so. */
  @IsBoolean()
  late!: boolean;
}

export class NotificationFailedV1 extends NotificationFact {
  @IsString()
  @MaxLength(500)
  reason!: string;
}

export const NotificationSent = defineEvent({
  type: 'notification.sent.v1',
  topic: Topics.notifications,
  payload: NotificationSentV1,
  description: 'A notification reached its channel.',
});
export const NotificationFailed = defineEvent({
  type: 'notification.failed.v1',
  topic: Topics.notifications,
  payload: NotificationFailedV1,
  description: 'Every configured channel failed for this notification.',
});
