import { Inject, Injectable, Logger } from '@nestjs/common';

import { SANDBOX_CONFIG, type SandboxConfig } from '../../sandbox.config';
import { SANDBOX_KEYS } from '../sandbox-keys.provider';
import { type SandboxKeys } from '../../keys/sandbox-keys';
import { alipayNotification } from '../domain/notifications/alipay-notification.builder';
import { stripeNotification } from '../domain/notifications/stripe-notification.builder';
import { wechatNotification } from '../domain/notifications/wechat-notification.builder';
import { type SandboxPayment, type SignedNotification } from '../domain/sandbox-payment';
import { FaultSwitches } from './fault-switches';

type NotificationKind = 'paid' | 'stale-pending';

/**
 * Sends the merchant signed notifications about a payment, on the retry schedule until acknowledged,
 * with the fault switches applied at each attempt. Each attempt is signed afresh (new timestamp), as
 * Stripe and WeChat do.
 */
@Injectable()
export class CallbackDispatcher {
  private readonly logger = new Logger('CallbackDispatcher');

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    @Inject(SANDBOX_KEYS) private readonly keys: SandboxKeys,
    private readonly faults: FaultSwitches,
  ) {}

  /** Fire and forget: the buyer's payment does not wait for the merchant's answer. */
  paymentMade(payment: SandboxPayment): void {
    const outOfOrder = this.faults.get().outOfOrder && payment.flavor !== 'wechat';
    if (Math.random() < this.faults.get().dropCallbackRate) {
      this.logger.log(
        `${payment.paymentId}: every callback for this payment dropped (fault dropCallbackRate)`,
      );
      return;
    }
    void this.deliver(payment, 'paid').then(() =>
      outOfOrder ? this.deliver(payment, 'stale-pending') : undefined,
    );
  }

  private async deliver(payment: SandboxPayment, kind: NotificationKind): Promise<void> {
    for (const [attempt, delayMs] of this.config.callbackScheduleMs.entries()) {
      const faults = this.faults.get();
      await sleep(delayMs + faults.delayMs);
      if (this.faults.get().dropCallbacks) {
        this.logger.log(`${payment.paymentId}: callback attempt ${attempt + 1} dropped (fault)`);
        continue;
      }
      const copies = Math.max(1, faults.duplicate);
      const results = await Promise.all(
        Array.from({ length: copies }, () => this.send(payment, this.build(payment, kind))),
      );
      if (results.some(Boolean)) return;
    }
    this.logger.warn(`${payment.paymentId}: ${kind} callback never acknowledged; giving up`);
  }

  private build(payment: SandboxPayment, kind: NotificationKind): SignedNotification {
    const now = new Date();
    switch (payment.flavor) {
      case 'alipay':
        return alipayNotification(
          payment,
          kind === 'paid' ? 'TRADE_SUCCESS' : 'WAIT_BUYER_PAY',
          this.config.alipay,
          this.keys.alipayPrivateKey,
          now,
        );
      case 'wechat':
        return wechatNotification(
          payment,
          this.config.wechat,
          { platformPrivateKey: this.keys.wechatPlatformPrivateKey, apiV3Key: this.keys.wechatApiV3Key },
          now,
        );
      case 'stripe':
        return stripeNotification(
          payment,
          kind === 'paid' ? 'payment_intent.succeeded' : 'payment_intent.processing',
          this.keys.stripeWebhookSecret,
          now,
        );
    }
  }

  private async send(payment: SandboxPayment, notification: SignedNotification): Promise<boolean> {
    try {
      const response = await fetch(payment.notifyUrl, {
        method: 'POST',
        headers: notification.headers,
        body: notification.body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      return notification.acknowledged(response.status, text);
    } catch (error) {
      this.logger.warn(
        `${payment.paymentId}: callback to ${payment.notifyUrl} failed: ${(error as Error).message}`,
      );
      return false;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
