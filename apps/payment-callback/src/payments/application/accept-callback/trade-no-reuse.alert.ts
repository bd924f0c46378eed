import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { AlertRaised, type AlertRaisedV1, Topics } from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';

import { type ProviderKind } from '../../domain/provider-kind';
import { escapeControls } from '../../infrastructure/stored-callback-text';

/**
 * alert.raised.v1 for a provider transaction id claimed by a second order: a person checks with the
 * provider and refunds if money moved twice. Appended in the refusal's transaction (outbox), so the alert
 * and the logged refusal commit together; notification tells the operators.
 */
@Injectable()
export class TradeNoReuseAlert {
  constructor(private readonly events: EventStore) {}

  async raise(
    manager: EntityManager,
    fact: { orderId: string; provider: ProviderKind; tradeNo: string; paidOrder: string | undefined },
  ): Promise<void> {
    const alertKey = `payment.trade-no-reused:${fact.orderId}`;
    const tradeNo = escapeControls(fact.tradeNo).slice(0, 80);
    const data: AlertRaisedV1 = {
      alertKey,
      severity: 'critical',
      summary:
        `${fact.provider} transaction ${tradeNo} already paid order ${fact.paidOrder ?? '(unknown)'}; a signed callback claims it for order ${fact.orderId}: check with the provider, refund if paid twice`.slice(
          0,
          300,
        ),
      details: {
        orderId: fact.orderId,
        provider: fact.provider,
        providerTradeNo: tradeNo,
        ...(fact.paidOrder ? { alreadyPaidOrderId: fact.paidOrder } : {}),
      },
      raisedAt: new Date().toISOString(),
    };
    await this.events.append(manager, `alert-${alertKey}`, 'any', [
      { type: AlertRaised.type, topic: Topics.alerts, subject: alertKey, data: { ...data } },
    ]);
  }
}
