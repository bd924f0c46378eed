/** Notification errors carry a stable code; the edges map them to config exits, HTTP statuses and log lines. */
export type NotificationErrorCode =
  | 'NOTIFICATION.WEBHOOK_URL_REFUSED'
  | 'NOTIFICATION.INVALID_CHANNELS'
  | 'NOTIFICATION.KEYS_UNREADABLE'
  | 'NOTIFICATION.SEND_FAILED'
  | 'NOTIFICATION.NOT_FOUND';

export class NotificationError extends Error {
  constructor(
    readonly code: NotificationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NotificationError';
  }
}

/** A channel could not deliver. `permanent`: retrying the same channel cannot help (e.g. 550, HTTP 400). */
export class SendFailedError extends NotificationError {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super('NOTIFICATION.SEND_FAILED', message);
    this.name = 'SendFailedError';
  }
}
