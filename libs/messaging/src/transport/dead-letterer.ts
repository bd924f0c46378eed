import { Logger } from '@nestjs/common';
import { type IHeaders, type KafkaMessage } from 'kafkajs';

import { KafkaHeaders } from '@keyflow/contracts';
import { deadLettered, kafkaMessages } from '@keyflow/observability';

import { type KafkaProducer } from '../kafka/kafka-producer';

/** Parks messages on a consumer group's dead-letter topic with the reason and their original headers. */
export class DeadLetterer {
  private readonly logger: Logger;

  constructor(
    private readonly where: { topic: string; groupId: string; deadLetterTopic: string },
    private readonly producer: KafkaProducer,
  ) {
    this.logger = new Logger(`Consumer:${where.groupId}`);
  }

  async deadLetter(
    partition: number,
    message: KafkaMessage,
    reason: string,
    attempts: number,
    kind: 'invalid' | 'handler-failed',
  ): Promise<void> {
    const { topic, groupId, deadLetterTopic } = this.where;
    this.logger.error(`dead-lettering ${topic}[${partition}]@${message.offset}: ${reason}`);
    const headers: IHeaders = {
      ...(message.headers ?? {}),
      [KafkaHeaders.dlqReason]: reason.slice(0, 4000),
      [KafkaHeaders.dlqOriginalTopic]: topic,
      [KafkaHeaders.dlqOriginalPartition]: String(partition),
      [KafkaHeaders.dlqOriginalOffset]: message.offset,
      [KafkaHeaders.dlqConsumerGroup]: groupId,
      [KafkaHeaders.dlqFailedAt]: new Date().toISOString(),
      [KafkaHeaders.dlqAttempts]: String(attempts),
    };
    // If this send fails the error propagates, the offset stays unresolved and the message comes back.
    await this.producer.send([
      { topic: deadLetterTopic, key: message.key?.toString('utf8') ?? '', value: message.value, headers },
    ]);
    deadLettered.inc({ group: groupId, reason: kind });
    kafkaMessages.inc({ group: groupId, topic, outcome: 'dead_lettered' });
  }
}
