import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type Producer } from 'kafkajs';

import { pipelineCatalog } from '@keyflow/contracts';
import { testKafkaBrokers } from '@keyflow/testing';

/** Plays payment-callback: publishes payment.confirmed.v1 as a valid contract envelope keyed by order id. */
export class PaymentsUpstream {
  private producer?: Producer;

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'risk-e2e-payments',
      brokers: testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer();
    await this.producer.connect();
    return this;
  }

  /** Returns the envelope id; pass `id` to send the very same message again (a redelivery). */
  async paymentConfirmed(
    orderId: string,
    amountMinor: number,
    { id = randomUUID() as string, time = new Date().toISOString() } = {},
  ): Promise<string> {
    const type = 'payment.confirmed.v1';
    const data = {
      orderId,
      paymentId: `pay-${orderId.slice(0, 8)}`,
      provider: 'sandbox',
      providerTradeNo: `trade-${orderId}`,
      amount: { amountMinor, currency: 'CNY' },
      paidAt: time,
      confirmedBy: 'callback',
    };
    const validation = pipelineCatalog.validate(type, data);
    if (!validation.ok) throw new Error(`test bug: ${type} payload invalid: ${validation.errors.join('; ')}`);
    await this.producer!.send({
      topic: pipelineCatalog.topicOf(type),
      messages: [
        {
          key: orderId,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type,
            source: 'risk-e2e',
            subject: orderId,
            time,
            datacontenttype: 'application/json',
            correlationid: orderId,
            data,
          }),
        },
      ],
    });
    return id;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }
}
