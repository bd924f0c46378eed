import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AuditAlreadyClosedError, AuditNotFoundError } from '../../domain/risk.errors';
import { AuditQueueRepository } from '../../infrastructure/audit-queue.repository';
import { RiskEvents } from '../../infrastructure/risk-events';

export interface CloseAuditCommand {
  verdict: 'confirm' | 'reverse';
  reason: string;
  by: string;
  now: string;
}

/**
 * A person closes a pass-first audit, once, in one transaction: lock the audit, refuse it if already
 * closed, record who/when/why, and for a reversal append risk.audit-reversed.v1, which orders turns into a
 * refund (or a revocation of delivered keys) through the order's decider.
 */
@Injectable()
export class CloseAuditHandler {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audits: AuditQueueRepository,
    private readonly events: RiskEvents,
  ) {}

  async handle(orderId: string, command: CloseAuditCommand) {
    return this.dataSource.transaction(async (manager) => {
      const audit = await this.audits.lock(manager, orderId);
      if (!audit) throw new AuditNotFoundError(orderId);
      if (audit.status !== 'pending') {
        throw new AuditAlreadyClosedError(orderId, {
          status: audit.status,
          by: audit.closedBy,
          at: audit.closedAt,
        });
      }
      const status = command.verdict === 'confirm' ? 'confirmed' : 'reversed';
      await this.audits.close(manager, orderId, {
        status,
        by: command.by,
        reason: command.reason,
        at: command.now,
      });
      if (status === 'reversed') {
        await this.events.auditReversed(manager, {
          orderId,
          assessmentId: audit.assessmentId,
          reason: command.reason,
          reversedBy: command.by,
        });
      }
      this.logger.log(`order ${orderId}: audit ${status} by ${command.by}`);
      return { orderId, status, closedBy: command.by, closedAt: command.now, reason: command.reason };
    });
  }
}
