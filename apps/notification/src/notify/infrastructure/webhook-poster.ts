import { lookup } from 'node:dns/promises';

import { Inject, Injectable } from '@nestjs/common';

import { SendFailedError } from '../domain/notification.errors';
import { signWebhook } from '../domain/webhook-signature';
import { isInternalAddress } from '../domain/webhook-url';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';

export interface WebhookPost {
  url: URL;
  body: Record<string, unknown>;
  /** Receivers dedupe on it: a repeat after an in-doubt attempt carries the same id. */
  notificationId: string;
  /** When given, the body is signed (X-Keyflow-Signature). */
  secret?: Buffer;
}

/**
 * POSTs JSON to merchant and IM-bot webhooks. Redirects are not followed and, unless private webhooks
 * are allowed, the host is resolved first and refused when it points inside (a public name can resolve
 * to 10.x). Errors carry the status and the host, never the URL (bot URLs hold tokens) nor the body.
 */
@Injectable()
export class WebhookPoster {
  constructor(@Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings) {}

  async post(post: WebhookPost): Promise<void> {
    const host = post.url.hostname;
    if (!this.settings.urlPolicy.allowPrivate) await this.refuseInternal(host);
    const body = JSON.stringify(post.body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Keyflow-Notification/1',
      'x-keyflow-notification-id': post.notificationId,
    };
    if (post.secret)
      headers['x-keyflow-signature'] = signWebhook(body, post.secret, Math.floor(Date.now() / 1000));
    let response: Response;
    try {
      response = await fetch(post.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.sendTimeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new SendFailedError(`webhook ${host}: ${cause}`, false);
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return;
    const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new SendFailedError(`webhook ${host}: HTTP ${response.status}`, !retryable);
  }

  private async refuseInternal(host: string): Promise<void> {
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookup(host.replace(/^\[|\]$/g, ''), { all: true });
    } catch (error) {
      throw new SendFailedError(
        `webhook ${host}: ${(error as { code?: string }).code ?? 'dns error'}`,
        false,
      );
    }
    if (addresses.some((a) => isInternalAddress(a.address)))
      throw new SendFailedError(`webhook ${host}: resolves to a private address`, true);
  }
}
