import { Inject, Injectable } from '@nestjs/common';

import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../config/notification-settings';
import { type OperatorKind } from '../domain/channels';
import { SendFailedError } from '../domain/notification.errors';
import { goodsEmail } from '../domain/templates/goods-email';
import { merchantPayload } from '../domain/templates/merchant-payload';
import { imMessage, operatorText } from '../domain/templates/operator-notice';
import { type RenderContext, type RenderedEmail } from '../domain/templates/render-context';
import { statusEmail } from '../domain/templates/status-email';
import { EmailSender } from '../infrastructure/email-sender';
import { type BuyerFacts } from '../infrastructure/order-facts.repository';
import { type ClaimedNotification } from '../infrastructure/notification.repository';
import { WebhookPoster } from '../infrastructure/webhook-poster';
import { openKeys } from './key-opener';
import { type NotificationContent } from './notification-content';

export interface SendResult {
  channel: string;
  sentAt: string;
  late: boolean;
}

/**
 * Sends one attempt of a claimed notification on its current channel: renders the template at the
 * moment of sending (so lateness is measured then) and hands it to the email sender or a webhook.
 * Throws SendFailedError; the worker decides what comes next.
 */
@Injectable()
export class ChannelDispatcher {
  constructor(
    private readonly email: EmailSender,
    private readonly webhooks: WebhookPoster,
    @Inject(NOTIFICATION_SETTINGS) private readonly settings: NotificationSettings,
  ) {}

  async send(job: ClaimedNotification): Promise<SendResult> {
    const channel = job.channels[job.channelIndex]!;
    const sentAt = new Date().toISOString();
    const content = job.content as NotificationContent;
    let late: boolean;
    if (job.recipient.startsWith('operator:')) late = await this.toOperator(job, content, sentAt);
    else if (channel === 'email') late = await this.emailBuyer(job, this.factsOf(job), content, sentAt);
    else if (channel === 'webhook') late = await this.toMerchant(job, this.factsOf(job), content, sentAt);
    else throw new SendFailedError(`channel ${channel} cannot reach ${job.recipient}`, true);
    return { channel, sentAt, late };
  }

  private async emailBuyer(
    job: ClaimedNotification,
    facts: BuyerFacts,
    content: NotificationContent,
    sendTime: string,
  ): Promise<boolean> {
    let email: RenderedEmail;
    const ctx = this.context(sendTime);
    if (content.kind === 'goods') {
      const keys = await openKeys(content.keys ?? [], this.settings.sealingPrivateKey);
      email = goodsEmail(
        { ...facts, deliveredAt: content.deliveredAt, itemCount: content.itemCount },
        keys,
        ctx,
      );
      keys.fill('');
    } else if (content.kind === 'status') {
      email = statusEmail(
        {
          orderId: facts.orderId,
          sku: facts.sku,
          quantity: facts.quantity,
          stage: content.stage,
          paidAt: content.paidAt,
          ...(content.expectedBy ? { expectedBy: content.expectedBy } : {}),
          noticedAt: job.eventTime,
        },
        ctx,
      );
    } else {
      throw new SendFailedError(`a ${content.kind} notice is not for the buyer`, true);
    }
    await this.email.send({
      to: facts.email,
      ...email,
      messageId: `<${job.notificationId}@keyflow.notification>`,
      headers: { 'X-Keyflow-Order-Id': facts.orderId, 'X-Keyflow-Purpose': content.kind },
    });
    return email.late;
  }

  /** The merchant's own notice, or the buyer's notice standing in when email could not reach the buyer. */
  private async toMerchant(
    job: ClaimedNotification,
    facts: BuyerFacts,
    content: NotificationContent,
    sendTime: string,
  ): Promise<boolean> {
    const merchant = this.settings.merchantWebhook;
    if (!merchant) throw new SendFailedError('the merchant webhook is not configured', true);
    if (content.kind === 'operator')
      throw new SendFailedError('an operator notice is not for the merchant', true);
    const forBuyer = job.recipient === 'buyer';
    const { keys: _sealed, ...details } =
      content.kind === 'goods' ? content : { ...content, keys: undefined };
    const { body, late } = merchantPayload(
      {
        notificationId: job.notificationId,
        purpose: job.purpose,
        type: forBuyer ? 'order.buyer-notice' : 'order.goods-delivered',
        orderId: facts.orderId,
        buyerEmail: facts.email,
        sku: facts.sku,
        quantity: facts.quantity,
        total: facts.total,
        eventTime: job.eventTime,
        details: {
          ...details,
          ...(forBuyer ? { fallbackFrom: job.channels.slice(0, job.channelIndex) } : {}),
        },
      },
      sendTime,
      this.settings.lateAfterSeconds,
    );
    await this.webhooks.post({
      url: merchant.url,
      body,
      notificationId: job.notificationId,
      secret: merchant.secret.reveal(),
    });
    return late;
  }

  private async toOperator(
    job: ClaimedNotification,
    content: NotificationContent,
    sendTime: string,
  ): Promise<boolean> {
    if (content.kind !== 'operator') throw new SendFailedError('not an operator notice', true);
    const webhook = this.settings.operatorWebhooks.find((w) => w.recipient === job.recipient);
    if (!webhook) throw new SendFailedError(`${job.recipient} is no longer configured`, true);
    const { text, late } = operatorText(content.notice, { ...this.context(sendTime) });
    await this.webhooks.post({
      url: webhook.url,
      body: imMessage(webhook.kind as OperatorKind, text, webhook.chatId),
      notificationId: job.notificationId,
    });
    return late;
  }

  private factsOf(job: ClaimedNotification): BuyerFacts {
    // Jobs that need facts only become due once they are recorded; missing here means they were removed.
    if (!job.facts)
      throw new SendFailedError(`order ${job.orderId ?? job.subject}: buyer facts are missing`, true);
    return job.facts;
  }

  private context(sendTime: string): RenderContext {
    return {
      shopName: this.settings.shopName,
      timeZone: this.settings.timeZone,
      lateAfterSeconds: this.settings.lateAfterSeconds,
      redeemInstructions: this.settings.redeemInstructions,
      sendTime,
    };
  }
}
