import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

import { SendFailedError } from '../domain/notification.errors';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notification: a repeat after an in-doubt attempt carries the same id, so mailers can dedupe. */
  messageId: string;
  /** Machine-readable headers (X-Keyflow-Order-Id, X-Keyflow-Purpose) so mail rules and audits can match orders. */
  headers?: Record<string, string>;
}

/** Connection-level failures are worth retrying; an SMTP 5xx reply (bad recipient, refused) is not. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** Email over real SMTP with nodemailer. Errors name the SMTP code, never the message (it holds keys). */
@Injectable()
export class EmailSender implements OnModuleDestroy {
  private readonly transport?: Transporter;
  private readonly from?: string;

  constructor(@Inject(NOTIFICATION_SETTINGS) settings: NotificationSettings) {
    if (settings.smtp) {
      this.from = settings.smtp.from;
      this.transport = createTransport({
        url: settings.smtp.url,
        connectionTimeout: settings.sendTimeoutMs,
        greetingTimeout: settings.sendTimeoutMs,
        socketTimeout: settings.sendTimeoutMs,
        // nodemailer may log envelopes and bodies when asked to; never ask.
        logger: false,
        debug: false,
      });
    }
  }

  async send(email: OutgoingEmail): Promise<void> {
    if (!this.transport) throw new SendFailedError('email is not configured (SMTP_URL)', true);
    try {
      await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        headers: email.headers,
      });
    } catch (error) {
      const e = error as { code?: string; responseCode?: number; command?: string };
      const permanent = !TRANSIENT_CODES.has(e.code ?? '') && (e.responseCode ?? 0) >= 500;
      const reply = e.responseCode ? ` ${e.responseCode}` : '';
      throw new SendFailedError(
        `smtp ${e.code ?? 'error'}${reply}${e.command ? ` at ${e.command}` : ''}`,
        permanent,
      );
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
