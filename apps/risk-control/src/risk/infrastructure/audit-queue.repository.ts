import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type Finding } from '../domain/assessment';

export interface AuditItem {
  orderId: string;
  assessmentId: string;
  score: number;
  findings: Finding[];
  queuedAt: string;
  email: string | null;
  paymentChannel: string | null;
  amount: { amountMinor: number; currency: string } | null;
}

export type AuditStatus = 'pending' | 'audited' | 'confirmed' | 'reversed';

export interface LockedAudit {
  orderId: string;
  assessmentId: string;
  status: AuditStatus;
  closedBy: string | null;
  closedAt: string | null;
}

/** Pass-first approvals waiting for a later look: what every rule said is kept for the auditor. */
@Injectable()
export class AuditQueueRepository {
  async enqueue(
    manager: EntityManager,
    item: { orderId: string; assessmentId: string; score: number; findings: Finding[] },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO risk.audit_queue (order_id, assessment_id, score, findings) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING`,
      [item.orderId, item.assessmentId, item.score, JSON.stringify(item.findings)],
    );
  }

  /** Pending audits, oldest first; the riskiest ones are easy to spot by score and findings. */
  async listPending(manager: EntityManager, limit: number, offset: number): Promise<AuditItem[]> {
    const rows: Array<{
      order_id: string;
      assessment_id: string;
      score: number;
      findings: Finding[];
      queued_at: Date;
      email: string | null;
      payment_channel: string | null;
      amount_minor: string | null;
      currency: string | null;
    }> = await manager.query(
      `SELECT q.order_id, q.assessment_id, q.score, q.findings, q.queued_at, f.email, f.payment_channel,
              f.amount_minor, f.currency
         FROM risk.audit_queue q LEFT JOIN risk.order_facts f ON f.order_id = q.order_id
        WHERE q.status = 'pending'
        ORDER BY q.queued_at, q.order_id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((row) => ({
      orderId: row.order_id,
      assessmentId: row.assessment_id,
      score: row.score,
      findings: row.findings,
      queuedAt: new Date(row.queued_at).toISOString(),
      email: row.email,
      paymentChannel: row.payment_channel,
      amount:
        row.amount_minor === null ? null : { amountMinor: Number(row.amount_minor), currency: row.currency! },
    }));
  }

  /** The audit, locked until the caller's transaction ends, so two operators cannot both close it. */
  async lock(manager: EntityManager, orderId: string): Promise<LockedAudit | undefined> {
    const [row]: Array<{
      order_id: string;
      assessment_id: string;
      status: AuditStatus;
      closed_by: string | null;
      closed_at: Date | null;
    }> = await manager.query(
      `SELECT order_id, assessment_id, status, closed_by, closed_at FROM risk.audit_queue
        WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    if (!row) return undefined;
    return {
      orderId: row.order_id,
      assessmentId: row.assessment_id,
      status: row.status,
      closedBy: row.closed_by,
      closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
    };
  }

  async close(
    manager: EntityManager,
    orderId: string,
    closing: { status: 'confirmed' | 'reversed'; by: string; reason: string; at: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE risk.audit_queue SET status = $2, closed_by = $3, close_reason = $4, closed_at = $5
        WHERE order_id = $1`,
      [orderId, closing.status, closing.by, closing.reason, closing.at],
    );
  }
}
